//! Car parks near a point, nearest first: the same answer from the gateway's database and
//! from the list kept on the device.

use civic_types::parking::{Lot, NearbyLot, VehicleKind};

/// The `lots` within `radius_m` of (`lat`, `lon`) that take `kind` (any kind: `None`),
/// nearest first. Candidates usually come from a box around the point
/// (`civic_types::geo::box_around`); the exact distance decides.
pub fn nearest(
    lots: Vec<Lot>,
    lat: f64,
    lon: f64,
    radius_m: f64,
    kind: Option<VehicleKind>,
) -> Vec<NearbyLot> {
    let mut near: Vec<NearbyLot> = lots
        .into_iter()
        .filter(|lot| kind.is_none_or(|k| lot.kinds.contains(&k)))
        .map(|lot| NearbyLot {
            distance_m: civic_types::geo::distance_m(lat, lon, lot.lat, lot.lon),
            lot,
        })
        .filter(|n| n.distance_m <= radius_m)
        .collect();
    near.sort_by(|a, b| a.distance_m.total_cmp(&b.distance_m));
    near
}
