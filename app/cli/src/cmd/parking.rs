//! `civic parking vietqr|fee|plate`: the payment code for a parking session, a stay's fee
//! under a tariff, and a plate as the app reads it. Offline.

use std::io::Write;
use std::path::PathBuf;

use civic_core::parking::{CheckedTariff, Plate, Transfer};
use civic_core::types::parking::VehicleKind;

use crate::Failure;

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum Vehicle {
    Bicycle,
    Motorbike,
    Car,
    LargeCar,
}

impl From<Vehicle> for VehicleKind {
    fn from(vehicle: Vehicle) -> Self {
        match vehicle {
            Vehicle::Bicycle => Self::Bicycle,
            Vehicle::Motorbike => Self::Motorbike,
            Vehicle::Car => Self::Car,
            Vehicle::LargeCar => Self::LargeCar,
        }
    }
}

#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// The VietQR payload (bank transfer, NAPAS 247) for one payment; --out also draws it.
    Vietqr {
        /// The receiving bank's six-digit BIN, e.g. 970436.
        #[arg(long)]
        bin: String,
        #[arg(long)]
        account: String,
        /// Whole đồng.
        #[arg(long)]
        amount: u64,
        /// The transfer note the payment is matched by (≤ 25 letters, digits, spaces, - . _).
        #[arg(long = "ref")]
        reference: String,
        /// Also write the QR code as a PNG or SVG (by the file's extension).
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// A stay's fee under a city's tariff, part by part.
    Fee {
        /// A city profile (assets/cities/*.toml) or a file holding one tariff.
        #[arg(long)]
        tariff: PathBuf,
        /// Which of the profile's tariffs (default: the first).
        #[arg(long)]
        tariff_id: Option<String>,
        #[arg(long, value_enum)]
        vehicle: Vehicle,
        /// YYYY-MM-DDTHH:MM[:SS] in the tariff's zone.
        #[arg(long)]
        from: String,
        #[arg(long)]
        to: String,
        #[arg(long)]
        json: bool,
    },
    /// A number plate as the app reads it.
    Plate {
        text: String,
        /// Says a motorbike's plate when its characters alone could be a car's.
        #[arg(long, value_enum)]
        vehicle: Option<Vehicle>,
    },
}

pub fn run(command: Command, out: &mut impl Write) -> Result<(), Failure> {
    match command {
        Command::Vietqr {
            bin,
            account,
            amount,
            reference,
            out: file,
        } => {
            let transfer = Transfer {
                bin,
                account,
                amount,
                reference,
            };
            writeln!(out, "{}", transfer.payload()?)?;
            if let Some(file) = file {
                let svg = file
                    .extension()
                    .is_some_and(|e| e.eq_ignore_ascii_case("svg"));
                let bytes = if svg {
                    transfer.svg(320)?.into_bytes()
                } else {
                    transfer.png(8)?
                };
                std::fs::write(&file, bytes).map_err(|e| format!("{}: {e}", file.display()))?;
            }
            Ok(())
        }
        Command::Fee {
            tariff,
            tariff_id,
            vehicle,
            from,
            to,
            json,
        } => {
            let text = std::fs::read_to_string(&tariff)
                .map_err(|e| format!("{}: {e}", tariff.display()))?;
            let tariff = CheckedTariff::from_profile_or_tariff(&text, tariff_id.as_deref())?;
            let moment = |text: &str| {
                civic_core::time::parse_datetime(text, tariff.zone()).ok_or_else(|| {
                    format!(
                        "“{text}” không phải thời điểm YYYY-MM-DDTHH:MM (expected YYYY-MM-DDTHH:MM)"
                    )
                })
            };
            let fee = tariff.fee(vehicle.into(), moment(&from)?, moment(&to)?)?;
            if json {
                serde_json::to_writer(&mut *out, &fee)?;
                writeln!(out)?;
                return Ok(());
            }
            for part in &fee.parts {
                writeln!(
                    out,
                    "{} → {}  {:?}  {} đ",
                    civic_core::time::iso_datetime(part.from, tariff.zone()),
                    civic_core::time::iso_datetime(part.to, tariff.zone()),
                    part.period,
                    part.amount
                )?;
            }
            writeln!(out, "Tổng (total): {} đ", fee.total)?;
            Ok(())
        }
        Command::Plate { text, vehicle } => {
            let plate = Plate::parse_as(&text, vehicle.map(VehicleKind::from))
                .or_else(|_| Plate::parse(&text))?;
            writeln!(out, "{plate}  ({:?}, {})", plate.kind(), plate.key())?;
            Ok(())
        }
    }
}
