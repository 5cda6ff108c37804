//! VietQR: the bank-transfer QR code every Vietnamese bank app scans (EMVCo
//! merchant-presented mode, NAPAS 247 "QRIBFTTA": transfer to an account). One payment, so
//! the code is dynamic (`01` = `12`) and carries the amount and, as the note banks show
//! with the transfer, the reference by which the payment is matched (a parking session's
//! today, a dossier's fee next).
//!
//! Each field is ID, two-digit length, value; the CRC-16/CCITT-FALSE runs over everything
//! up to and including `6304`.

#[cfg(feature = "render")]
use qrcode::{EcLevel, QrCode};

use crate::PaymentError;

/// NAPAS's application identifier in field 38.
const NAPAS_GUID: &str = "A000000727";
/// Inter-bank fund transfer 24/7 to an account.
const TO_ACCOUNT: &str = "QRIBFTTA";
const VIETNAMESE_DONG: &str = "704";
/// A transfer note longer than this is cut by some banks; references are shorter.
const MAX_REFERENCE: usize = 25;

const CRC: crc::Crc<u16> = crc::Crc::<u16>::new(&crc::CRC_16_IBM_3740);

/// What one payment is: to whom, how much, with which reference.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transfer {
    /// The receiving bank's six-digit BIN (NAPAS acquirer id), e.g. `970436`.
    pub bin: String,
    pub account: String,
    /// Whole đồng.
    pub amount: u64,
    pub reference: String,
}

/// `id`, its value's length on two digits, the value. Values are ASCII (checked), so the
/// length in bytes is the length in characters.
fn field(id: &str, value: &str) -> String {
    format!("{id}{:02}{value}", value.len())
}

/// The CRC of `text` as the four upper-case hex digits field 63 holds.
pub fn checksum(text: &str) -> String {
    format!("{:04X}", CRC.checksum(text.as_bytes()))
}

impl Transfer {
    fn check(&self) -> Result<(), PaymentError> {
        let refuse = |what: &str| Err(PaymentError::Invalid(what.to_owned()));
        if self.bin.len() != 6 || !self.bin.bytes().all(|b| b.is_ascii_digit()) {
            return refuse("the bank's BIN is six digits");
        }
        if self.account.is_empty()
            || self.account.len() > 19
            || !self.account.bytes().all(|b| b.is_ascii_alphanumeric())
        {
            return refuse("an account number is 1 to 19 letters and digits");
        }
        if self.amount == 0 || self.amount > 9_999_999_999_999 {
            return refuse("the amount is 1 to 13 digits of đồng");
        }
        let reference_ok = !self.reference.is_empty()
            && self.reference.len() <= MAX_REFERENCE
            && self
                .reference
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b' ' | b'-' | b'.' | b'_'));
        if !reference_ok {
            return refuse("a reference is 1 to 25 letters, digits, spaces, - . _");
        }
        Ok(())
    }

    /// The text the QR code holds.
    pub fn payload(&self) -> Result<String, PaymentError> {
        self.check()?;
        let beneficiary = field("00", &self.bin) + &field("01", &self.account);
        let merchant =
            field("00", NAPAS_GUID) + &field("01", &beneficiary) + &field("02", TO_ACCOUNT);
        let mut text = [
            field("00", "01"),
            field("01", "12"),
            field("38", &merchant),
            field("53", VIETNAMESE_DONG),
            field("54", &self.amount.to_string()),
            field("58", "VN"),
            field("62", &field("08", &self.reference)),
        ]
        .concat();
        text.push_str("6304");
        let crc = checksum(&text);
        text.push_str(&crc);
        Ok(text)
    }

    #[cfg(feature = "render")]
    /// The QR code of [`Transfer::payload`].
    pub fn code(&self) -> Result<QrCode, PaymentError> {
        QrCode::with_error_correction_level(self.payload()?.as_bytes(), EcLevel::M)
            .map_err(|e| PaymentError::Render(e.to_string()))
    }

    #[cfg(feature = "render")]
    /// As a PNG, `module` pixels a module, with the four-module quiet zone banks expect.
    pub fn png(&self, module: u32) -> Result<Vec<u8>, PaymentError> {
        let image = self
            .code()?
            .render::<image::Luma<u8>>()
            .module_dimensions(module, module)
            .quiet_zone(true)
            .build();
        let mut png = Vec::new();
        image
            .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
            .map_err(|e| PaymentError::Render(e.to_string()))?;
        Ok(png)
    }

    #[cfg(feature = "render")]
    /// As an SVG document at least `size` units wide, with the quiet zone.
    pub fn svg(&self, size: u32) -> Result<String, PaymentError> {
        use qrcode::render::svg;
        let document = self
            .code()?
            .render::<svg::Color<'_>>()
            .min_dimensions(size, size)
            .quiet_zone(true)
            .dark_color(svg::Color("#000"))
            .light_color(svg::Color("#fff"))
            .build();
        // Without the XML declaration, so the same text is a file, a data URL or inline SVG.
        let start = document.find("<svg").unwrap_or(0);
        Ok(document[start..].to_owned())
    }
}
