/// Why a parking request cannot be done. Each has a code the front ends translate.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ParkingError {
    #[error("the tariff is not usable: {0}")]
    Tariff(String),
    #[error("the tariff has no price for {0:?}")]
    NoRate(civic_types::parking::VehicleKind),
    #[error("“{0}” is not a Vietnamese number plate (e.g. 43A-123.45, 29-B1 234.56)")]
    Plate(String),
    #[error("the payment details are not valid: {0}")]
    Payment(String),
    #[error("the parking times are not valid: {0}")]
    Time(String),
    #[error("the city has no parking zone `{0}`")]
    UnknownZone(String),
}

impl From<civic_payment::PaymentError> for ParkingError {
    fn from(error: civic_payment::PaymentError) -> Self {
        Self::Payment(error.to_string())
    }
}

impl ParkingError {
    pub fn code(&self) -> civic_types::error::ErrorCode {
        use civic_types::error::ErrorCode;
        match self {
            Self::Tariff(_) => ErrorCode::TariffInvalid,
            Self::NoRate(_) => ErrorCode::NoParkingRate,
            Self::Plate(_) => ErrorCode::PlateInvalid,
            Self::Payment(_) => ErrorCode::PaymentInvalid,
            Self::Time(_) => ErrorCode::ParkingTimeInvalid,
            Self::UnknownZone(_) => ErrorCode::UnknownParkingZone,
        }
    }
}
