//! Parking: the parking pages' calls. All answer from the device; a session started,
//! extended or stopped asks for a sync round itself (the component's `Link`).

use civic_types::parking::{Fee, LotsNear, ParkingOverview, PaymentCode, Session, VehicleKind};

use super::{CommandError, with_civic};

/// How far around a point car parks are listed, metres.
const LOTS_RADIUS_M: f64 = 5_000.0;

fn now() -> i64 {
    civic_core::time::now_unix()
}

#[tauri::command]
pub async fn parking_overview(app: tauri::AppHandle) -> Result<ParkingOverview, CommandError> {
    with_civic(app, |civic| civic.parking().overview(now())).await
}

#[tauri::command]
pub async fn parking_lots(
    app: tauri::AppHandle,
    lat: f64,
    lon: f64,
    kind: Option<VehicleKind>,
) -> Result<LotsNear, CommandError> {
    with_civic(app, move |civic| {
        civic
            .parking()
            .lots_near(lat, lon, LOTS_RADIUS_M, kind, now())
    })
    .await
}

/// What a session would cost, before it is started.
#[tauri::command]
pub async fn parking_fee(
    app: tauri::AppHandle,
    plate: String,
    zone: String,
    kind: VehicleKind,
    minutes: u32,
) -> Result<Fee, CommandError> {
    with_civic(app, move |civic| {
        civic.parking().quote(&plate, &zone, kind, minutes, now())
    })
    .await
}

#[tauri::command]
pub async fn parking_start(
    app: tauri::AppHandle,
    plate: String,
    zone: String,
    kind: VehicleKind,
    minutes: u32,
) -> Result<Session, CommandError> {
    with_civic(app, move |civic| {
        civic.parking().start(&plate, &zone, kind, minutes, now())
    })
    .await
}

#[tauri::command]
pub async fn parking_extend(
    app: tauri::AppHandle,
    id: String,
    minutes: u32,
) -> Result<Session, CommandError> {
    with_civic(app, move |civic| {
        civic.parking().extend(&id, minutes, now())
    })
    .await
}

#[tauri::command]
pub async fn parking_stop(app: tauri::AppHandle, id: String) -> Result<Session, CommandError> {
    with_civic(app, move |civic| civic.parking().stop(&id, now())).await
}

#[tauri::command]
pub async fn parking_payment(
    app: tauri::AppHandle,
    id: String,
) -> Result<PaymentCode, CommandError> {
    with_civic(app, move |civic| civic.parking().payment(&id)).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use civic_types::parking::commands;

    super::super::assert_command_names!(
        parking_overview = commands::OVERVIEW,
        parking_lots = commands::LOTS,
        parking_fee = commands::FEE,
        parking_start = commands::START,
        parking_extend = commands::EXTEND,
        parking_stop = commands::STOP,
        parking_payment = commands::PAYMENT,
    );
}
