//! Vietnamese number plates as people type them: `43A-123.45` (a car: province, series
//! letters, number), `29-B1 234.56` (a motorbike: province, a letter and a digit, number),
//! older four-digit numbers (`29A-1234`), in any case, with or without the dash, dot and
//! space. Read into one canonical form, so the same vehicle is always the same plate.

use civic_types::parking::VehicleKind;

use crate::ParkingError;

/// A plate read and checked.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Plate {
    /// The province's two digits (11–99).
    pub province: u8,
    /// `A`, `LD` (cars) or `B1` (motorbikes).
    pub series: String,
    /// Four or five digits.
    pub number: String,
}

impl Plate {
    /// Reads a plate; where the characters alone could be either a car's or a motorbike's
    /// (`43A12345`: car 43A-123.45, or motorbike 43-A1 2345), the dash decides (`43-A1…`
    /// is a motorbike's), else a car's is read.
    pub fn parse(text: &str) -> Result<Self, ParkingError> {
        let motorbike_dash = text.trim().as_bytes().get(2) == Some(&b'-');
        Self::parse_as(
            text,
            if motorbike_dash {
                Some(VehicleKind::Motorbike)
            } else {
                None
            },
        )
    }

    /// [`Plate::parse`] for a vehicle of `kind` when the resident said which.
    pub fn parse_as(text: &str, kind: Option<VehicleKind>) -> Result<Self, ParkingError> {
        let refused = || ParkingError::Plate(text.trim().to_owned());
        // Only the characters that carry meaning; the separators are how people write it.
        let compact: String = text
            .chars()
            .filter(|c| !matches!(c, '-' | '.' | ' ' | '\u{a0}'))
            .map(|c| c.to_ascii_uppercase())
            .collect();
        if !compact.is_ascii() || compact.len() < 7 {
            return Err(refused());
        }
        let (province, rest) = compact.split_at(2);
        let province: u8 = province
            .parse()
            .ok()
            .filter(|p| (11..=99).contains(p))
            .ok_or_else(refused)?;
        let letters = rest.bytes().take_while(u8::is_ascii_uppercase).count();
        let digits = &rest[letters..];
        if !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(refused());
        }
        let (series, number) = match (letters, digits.len()) {
            // Two letters: a car's series (`LD`).
            (2, 4 | 5) => rest.split_at(2),
            // One letter then 6 digits: only a motorbike (`B1` + 5 digits).
            (1, 6) => rest.split_at(2),
            (1, 5) if kind == Some(VehicleKind::Motorbike) => rest.split_at(2),
            (1, 4 | 5) => rest.split_at(1),
            _ => return Err(refused()),
        };
        Ok(Self {
            province,
            series: series.to_owned(),
            number: number.to_owned(),
        })
    }

    /// A motorbike's series ends in a digit (`B1`); a car's is letters only.
    pub fn kind(&self) -> VehicleKind {
        if self
            .series
            .bytes()
            .last()
            .is_some_and(|b| b.is_ascii_digit())
        {
            VehicleKind::Motorbike
        } else {
            VehicleKind::Car
        }
    }

    /// The key the same vehicle always has: `43A12345`.
    pub fn key(&self) -> String {
        format!("{:02}{}{}", self.province, self.series, self.number)
    }
}

/// As printed on the plate: `43A-123.45`, `29-B1 234.56`, `29A-1234`.
impl std::fmt::Display for Plate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let number = if self.number.len() == 5 {
            format!("{}.{}", &self.number[..3], &self.number[3..])
        } else {
            self.number.clone()
        };
        match self.kind() {
            VehicleKind::Motorbike => write!(f, "{:02}-{} {number}", self.province, self.series),
            _ => write!(f, "{:02}{}-{number}", self.province, self.series),
        }
    }
}
