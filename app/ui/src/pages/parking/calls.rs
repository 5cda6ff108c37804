//! The parking pages' calls to the host.

use civic_types::parking::{
    Fee, LotsNear, ParkingOverview, PaymentCode, Session, VehicleKind, commands,
};
use serde::Serialize;

use crate::ipc::{IpcError, invoke};

#[derive(Serialize)]
struct Nothing {}

#[derive(Serialize)]
struct Near {
    lat: f64,
    lon: f64,
    kind: Option<VehicleKind>,
}

#[derive(Serialize)]
struct NewSession<'a> {
    plate: &'a str,
    zone: &'a str,
    kind: VehicleKind,
    minutes: u32,
}

#[derive(Serialize)]
struct Id<'a> {
    id: &'a str,
}

#[derive(Serialize)]
struct Extend<'a> {
    id: &'a str,
    minutes: u32,
}

pub async fn overview() -> Result<ParkingOverview, IpcError> {
    invoke(commands::OVERVIEW, &Nothing {}).await
}

pub async fn lots(lat: f64, lon: f64, kind: Option<VehicleKind>) -> Result<LotsNear, IpcError> {
    invoke(commands::LOTS, &Near { lat, lon, kind }).await
}

pub async fn fee(
    plate: &str,
    zone: &str,
    kind: VehicleKind,
    minutes: u32,
) -> Result<Fee, IpcError> {
    invoke(
        commands::FEE,
        &NewSession {
            plate,
            zone,
            kind,
            minutes,
        },
    )
    .await
}

pub async fn start(
    plate: &str,
    zone: &str,
    kind: VehicleKind,
    minutes: u32,
) -> Result<Session, IpcError> {
    invoke(
        commands::START,
        &NewSession {
            plate,
            zone,
            kind,
            minutes,
        },
    )
    .await
}

pub async fn extend(id: &str, minutes: u32) -> Result<Session, IpcError> {
    invoke(commands::EXTEND, &Extend { id, minutes }).await
}

pub async fn stop(id: &str) -> Result<Session, IpcError> {
    invoke(commands::STOP, &Id { id }).await
}

pub async fn payment(id: &str) -> Result<PaymentCode, IpcError> {
    invoke(commands::PAYMENT, &Id { id }).await
}
