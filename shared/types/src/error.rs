//! Failures as they cross a boundary: a stable [`ErrorCode`] that front ends translate (the
//! Fluent message `error-<code>` in every locale; a tidy test checks), and the English
//! detail for logs and support, never shown as the message.

use serde::{Deserialize, Serialize};

/// Why something failed, in terms a front end can act on and translate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum ErrorCode {
    /// The data kept on this device could not be read or written.
    Storage,
    /// The city's gateway cannot be reached (or the connection broke).
    Offline,
    /// The configured gateway address is not one.
    GatewayAddress,
    /// The gateway address is plain http on another machine.
    GatewayNotEncrypted,
    /// The gateway answered with an error.
    GatewayRefused,
    /// The gateway sent something this app cannot use (or too much of it).
    GatewayUnusable,
    /// The gateway's update would withdraw many procedures without its operator's confirmation.
    CatalogWithdrawal,
    /// The feedback (Open311) endpoint's address is not one.
    ReportsAddress,
    /// The feedback endpoint is plain http on another machine.
    ReportsNotEncrypted,
    /// The feedback endpoint cannot be reached.
    ReportsOffline,
    /// The feedback endpoint refused (its reasons are in the detail).
    ReportsRefused,
    /// The feedback endpoint sent something that is not GeoReport v2 (or too much of it).
    ReportsUnusable,
    /// A report's photo is not a JPEG or PNG.
    PhotoUnsupported,
    /// A report's photo is damaged or cut short.
    PhotoUnreadable,
    /// A report's photo is over the size the app takes.
    PhotoTooLarge,
    /// A report lacks what it needs before it can be sent (a kind, a place, an answer).
    ReportIncomplete,
    /// No report or draft with that number on this device.
    ReportNotFound,
    /// A bus timetable (GTFS feed) that is not a readable zip, or lacks a file it needs.
    FeedUnreadable,
    /// A bus stop (or route) the timetable does not have.
    UnknownStop,
    /// Live bus data (GTFS-Realtime) that does not decode.
    LiveFeedUnreadable,
    /// No bus timetable has arrived on this device yet.
    NoTimetable,
    /// A parking tariff that cannot be used (bad times, zone, tiers).
    TariffInvalid,
    /// The tariff has no price for this kind of vehicle.
    NoParkingRate,
    /// Not a Vietnamese number plate.
    PlateInvalid,
    /// Payment details (bank, account, amount, reference) that are not valid.
    PaymentInvalid,
    /// Parking times that are not valid (ends before it starts, too long).
    ParkingTimeInvalid,
    /// The city has no parking zone by that name (or no street parking at all).
    UnknownParkingZone,
    /// The plate already has a session in that zone for part of that time.
    SessionOverlaps,
    /// No parking session with that number on this device.
    SessionNotFound,
    /// The session has ended: it can no longer be extended or stopped.
    SessionEnded,
    /// Not a PNG or JPEG image, or a damaged one.
    ImageUnreadable,
    /// An image larger than the app decodes.
    ImageTooLarge,
    /// A board request that cannot be laid out (title, number of codes, a bad code).
    BoardInvalid,
    /// A procedure code the catalog on this device does not have.
    UnknownProcedure,
    /// The board signing key cannot be read or made.
    SigningKey,
    /// A file could not be saved.
    SaveFailed,
    /// The city offers no sign-in (or its profile has not arrived yet).
    SignInUnavailable,
    SignedOut,
    SessionExpired,
    /// No sign-in came back from the browser in time.
    SignInTimeout,
    /// The identity provider cannot be reached.
    SignInOffline,
    /// This device has no keyring to keep a session in.
    Keyring,
    /// The identity provider or its answer was refused.
    SignInFailed,
    /// A fault in the app itself.
    Internal,
    /// A code from a newer host than this UI knows.
    #[serde(other)]
    Unknown,
}

impl ErrorCode {
    pub const ALL: &'static [ErrorCode] = &[
        Self::Storage,
        Self::Offline,
        Self::GatewayAddress,
        Self::GatewayNotEncrypted,
        Self::GatewayRefused,
        Self::GatewayUnusable,
        Self::CatalogWithdrawal,
        Self::ReportsAddress,
        Self::ReportsNotEncrypted,
        Self::ReportsOffline,
        Self::ReportsRefused,
        Self::ReportsUnusable,
        Self::PhotoUnsupported,
        Self::PhotoUnreadable,
        Self::PhotoTooLarge,
        Self::ReportIncomplete,
        Self::ReportNotFound,
        Self::FeedUnreadable,
        Self::UnknownStop,
        Self::LiveFeedUnreadable,
        Self::NoTimetable,
        Self::TariffInvalid,
        Self::NoParkingRate,
        Self::PlateInvalid,
        Self::PaymentInvalid,
        Self::ParkingTimeInvalid,
        Self::UnknownParkingZone,
        Self::SessionOverlaps,
        Self::SessionNotFound,
        Self::SessionEnded,
        Self::ImageUnreadable,
        Self::ImageTooLarge,
        Self::BoardInvalid,
        Self::UnknownProcedure,
        Self::SigningKey,
        Self::SaveFailed,
        Self::SignInUnavailable,
        Self::SignedOut,
        Self::SessionExpired,
        Self::SignInTimeout,
        Self::SignInOffline,
        Self::Keyring,
        Self::SignInFailed,
        Self::Internal,
        Self::Unknown,
    ];

    /// The Fluent message that says this to a person.
    pub fn message_id(self) -> &'static str {
        match self {
            Self::Storage => "error-storage",
            Self::Offline => "error-offline",
            Self::GatewayAddress => "error-gateway-address",
            Self::GatewayNotEncrypted => "error-gateway-not-encrypted",
            Self::GatewayRefused => "error-gateway-refused",
            Self::GatewayUnusable => "error-gateway-unusable",
            Self::CatalogWithdrawal => "error-catalog-withdrawal",
            Self::ReportsAddress => "error-reports-address",
            Self::ReportsNotEncrypted => "error-reports-not-encrypted",
            Self::ReportsOffline => "error-reports-offline",
            Self::ReportsRefused => "error-reports-refused",
            Self::ReportsUnusable => "error-reports-unusable",
            Self::PhotoUnsupported => "error-photo-unsupported",
            Self::PhotoUnreadable => "error-photo-unreadable",
            Self::PhotoTooLarge => "error-photo-too-large",
            Self::ReportIncomplete => "error-report-incomplete",
            Self::ReportNotFound => "error-report-not-found",
            Self::FeedUnreadable => "error-feed-unreadable",
            Self::UnknownStop => "error-unknown-stop",
            Self::LiveFeedUnreadable => "error-live-feed-unreadable",
            Self::NoTimetable => "error-no-timetable",
            Self::TariffInvalid => "error-tariff-invalid",
            Self::NoParkingRate => "error-no-parking-rate",
            Self::PlateInvalid => "error-plate-invalid",
            Self::PaymentInvalid => "error-payment-invalid",
            Self::ParkingTimeInvalid => "error-parking-time-invalid",
            Self::UnknownParkingZone => "error-unknown-parking-zone",
            Self::SessionOverlaps => "error-session-overlaps",
            Self::SessionNotFound => "error-session-not-found",
            Self::SessionEnded => "error-session-ended",
            Self::ImageUnreadable => "error-image-unreadable",
            Self::ImageTooLarge => "error-image-too-large",
            Self::BoardInvalid => "error-board-invalid",
            Self::UnknownProcedure => "error-unknown-procedure",
            Self::SigningKey => "error-signing-key",
            Self::SaveFailed => "error-save-failed",
            Self::SignInUnavailable => "error-sign-in-unavailable",
            Self::SignedOut => "error-signed-out",
            Self::SessionExpired => "error-session-expired",
            Self::SignInTimeout => "error-sign-in-timeout",
            Self::SignInOffline => "error-sign-in-offline",
            Self::Keyring => "error-keyring",
            Self::SignInFailed => "error-sign-in-failed",
            Self::Internal => "error-internal",
            Self::Unknown => "error-unknown",
        }
    }
}

/// An error a front end shows by its code (the message from Fluent), its `Display` kept for
/// the log: what lets one generic call path serve every feature's flows.
pub trait Coded: std::error::Error {
    fn code(&self) -> ErrorCode;
}

/// A failed command or operation, as it crosses IPC.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Failure {
    pub code: ErrorCode,
    /// The core's own words, in English: for logs and support, not for residents.
    pub detail: String,
}

impl Failure {
    pub fn new(code: ErrorCode, detail: impl std::fmt::Display) -> Self {
        Self {
            code,
            detail: detail.to_string(),
        }
    }
}

/// An error from the gateway: a stable code for programs and a message for people.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApiError {
    pub code: String,
    pub message: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_is_listed_once_and_names_its_own_message() {
        let mut ids: Vec<&str> = ErrorCode::ALL.iter().map(|c| c.message_id()).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), ErrorCode::ALL.len());
        for code in ErrorCode::ALL {
            let wire = serde_json::to_value(code).expect("serialize");
            let id = code.message_id();
            assert_eq!(Some(&id["error-".len()..]), wire.as_str(), "{code:?}");
        }
    }

    #[test]
    fn a_code_from_a_newer_host_is_unknown() {
        let code: ErrorCode = serde_json::from_str("\"teleport-failed\"").expect("parse");
        assert_eq!(code, ErrorCode::Unknown);
    }
}
