//! `civic parking lots|start|extend|stop|pay|history|vietqr|fee|plate`: car parks near a
//! point, street-parking sessions (written on the device, sent at the next `civic sync`),
//! the payment code for a session or any transfer, a stay's fee under a tariff, and a plate
//! as the app reads it. All offline but `civic sync`.

use std::io::Write;
use std::path::{Path, PathBuf};

use civic_core::parking::{CheckedTariff, ParkingError, Plate, Transfer};
use civic_core::types::parking::VehicleKind;

use crate::Failure;
use crate::i18n::{self, error_message};

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
    /// Car parks near a point with their free spaces, from the list last synced.
    Lots {
        /// LAT,LON in decimal degrees.
        #[arg(long, value_name = "LAT,LON", value_parser = crate::args::point)]
        near: (f64, f64),
        /// Metres.
        #[arg(long, default_value_t = 2_000.0)]
        radius: f64,
        #[arg(long, value_enum)]
        kind: Option<Vehicle>,
        #[arg(long)]
        json: bool,
    },
    /// Starts a street-parking session now, in one of the city's zones.
    Start {
        #[arg(long)]
        plate: String,
        /// The zone's id in the city profile (`civic parking zones` lists them).
        #[arg(long)]
        zone: String,
        #[arg(long, value_enum, default_value = "motorbike")]
        kind: Vehicle,
        #[arg(long)]
        minutes: u32,
        #[arg(long)]
        json: bool,
    },
    /// Adds time to a running session.
    Extend {
        id: String,
        #[arg(long)]
        minutes: u32,
        #[arg(long)]
        json: bool,
    },
    /// Stops a running session now: the fee is for the time parked.
    Stop {
        id: String,
        #[arg(long)]
        json: bool,
    },
    /// The payment code for what is left to pay of a session.
    Pay {
        id: String,
        /// Also write the QR code as an SVG.
        #[arg(long)]
        out: Option<PathBuf>,
        #[arg(long)]
        json: bool,
    },
    /// Sessions on this device, newest first.
    History {
        #[arg(long)]
        json: bool,
    },
    /// The city's parking zones and what they take.
    Zones,
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

pub fn run(command: Command, data_dir: &Path, out: &mut impl Write) -> Result<(), Failure> {
    let now = civic_core::time::now_unix();
    let open = || crate::open(data_dir, None);
    match command {
        Command::Lots {
            near,
            radius,
            kind,
            json,
        } => {
            let (lat, lon) = near;
            let civic = open()?;
            let found =
                civic
                    .parking()
                    .lots_near(lat, lon, radius, kind.map(VehicleKind::from), now)?;
            if json {
                return print_json(out, &found);
            }
            if found.stale {
                writeln!(
                    out,
                    "(Số chỗ trống có thể đã thay đổi: danh sách chưa được cập nhật gần đây — free spaces may have changed)"
                )?;
            }
            for near in &found.lots {
                let lot = &near.lot;
                let free = lot.free.map_or_else(|| "?".to_owned(), |f| f.to_string());
                writeln!(
                    out,
                    "{}  {} m  {}/{} chỗ trống  {}  (cập nhật {})",
                    lot.name,
                    near.distance_m.round(),
                    free,
                    lot.capacity,
                    i18n::text(lot.state.message_id(), &[]),
                    civic_core::time::iso_datetime(lot.updated, &civic_core::time::vietnam()),
                )?;
            }
            Ok(())
        }
        Command::Start {
            plate,
            zone,
            kind,
            minutes,
            json,
        } => {
            let civic = open()?;
            let session = civic
                .parking()
                .start(&plate, &zone, kind.into(), minutes, now)?;
            print_session(out, &session, json)
        }
        Command::Extend { id, minutes, json } => {
            let session = open()?.parking().extend(&id, minutes, now)?;
            print_session(out, &session, json)
        }
        Command::Stop { id, json } => {
            let session = open()?.parking().stop(&id, now)?;
            print_session(out, &session, json)
        }
        Command::Pay {
            id,
            out: file,
            json,
        } => {
            let code = open()?.parking().payment(&id)?;
            if let Some(file) = file {
                std::fs::write(&file, &code.svg).map_err(|e| format!("{}: {e}", file.display()))?;
            }
            if json {
                return print_json(out, &code);
            }
            writeln!(out, "{}", code.payload)?;
            writeln!(
                out,
                "Chuyển {} đ tới {} ({}, {}), nội dung {}",
                code.amount, code.payee.name, code.payee.bin, code.payee.account, code.reference
            )?;
            Ok(())
        }
        Command::History { json } => {
            let sessions = open()?.parking().history()?;
            if json {
                return print_json(out, &sessions);
            }
            for session in &sessions {
                print_session(out, session, false)?;
            }
            Ok(())
        }
        Command::Zones => {
            let overview = open()?.parking().overview(now)?;
            let Some(config) = overview.config else {
                writeln!(
                    out,
                    "Thành phố chưa có khu vực đỗ xe trong ứng dụng (no parking zones)."
                )?;
                return Ok(());
            };
            for zone in &config.zones {
                writeln!(
                    out,
                    "{}  {}  (bảng giá {})",
                    zone.id, zone.name, zone.tariff
                )?;
            }
            Ok(())
        }
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
            // Told as parking's payment error, whose message the app has.
            writeln!(out, "{}", transfer.payload().map_err(ParkingError::from)?)?;
            if let Some(file) = file {
                let svg = file
                    .extension()
                    .is_some_and(|e| e.eq_ignore_ascii_case("svg"));
                let bytes = if svg {
                    transfer.svg(320).map_err(ParkingError::from)?.into_bytes()
                } else {
                    transfer.png(8).map_err(ParkingError::from)?
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
            writeln!(
                out,
                "{plate}  ({}, {})",
                i18n::text(plate.kind().message_id(), &[]),
                plate.key()
            )?;
            Ok(())
        }
    }
}

fn payment_text(session: &civic_core::types::parking::Session) -> String {
    let (id, amounts) = session.payment_message();
    i18n::text(
        id,
        &amounts.map(|(name, amount)| (name, format!("{amount} đ"))),
    )
}

fn sync_text(sync: &civic_core::types::parking::SessionSync) -> String {
    let reason = match sync {
        civic_core::types::parking::SessionSync::Refused { code } => error_message(*code),
        _ => String::new(),
    };
    i18n::text(sync.message_id(), &[("reason", reason)])
}

fn print_json(out: &mut impl Write, value: &impl serde::Serialize) -> Result<(), Failure> {
    serde_json::to_writer(&mut *out, value)?;
    writeln!(out)?;
    Ok(())
}

fn print_session(
    out: &mut impl Write,
    session: &civic_core::types::parking::Session,
    json: bool,
) -> Result<(), Failure> {
    if json {
        return print_json(out, session);
    }
    let zone = civic_core::time::vietnam();
    let at = |t: i64| civic_core::time::iso_datetime(t, &zone);
    writeln!(
        out,
        "{}  {}  {}  {} → {}{}  {} đ  {}  {}",
        session.id,
        session.plate,
        session.zone_name,
        at(session.starts_at),
        at(session.ends_at),
        session
            .stopped_at
            .map(|s| format!(" (dừng {})", at(s)))
            .unwrap_or_default(),
        session.fee.total,
        payment_text(session),
        sync_text(&session.sync),
    )?;
    Ok(())
}
