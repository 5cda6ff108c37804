//! Distances on the ground, for "near here" everywhere: reports, bus stops, car parks, on
//! the device and at the gateway.

/// The mean Earth radius (IUGG).
pub const EARTH_RADIUS_M: f64 = 6_371_008.8;

/// Great-circle distance in metres (haversine: exact enough at city scale).
#[must_use]
pub fn distance_m(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let dp = p2 - p1;
    let dl = (lon2 - lon1).to_radians();
    let a = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    2.0 * EARTH_RADIUS_M * a.sqrt().min(1.0).asin()
}

/// A box holding every point within `radius_m` of a point: `(south, west, north, east)`,
/// for an index to narrow a search before [`distance_m`] decides.
#[must_use]
pub fn box_around(lat: f64, lon: f64, radius_m: f64) -> (f64, f64, f64, f64) {
    let dlat = (radius_m / EARTH_RADIUS_M).to_degrees();
    let dlon = (dlat / lat.to_radians().cos().abs().max(1e-6)).min(180.0);
    (lat - dlat, lon - dlon, lat + dlat, lon + dlon)
}
