//! Distances on the ground, for "reports near here" on both sides (app and gateway).

pub use civic_types::geo::{EARTH_RADIUS_M, distance_m};
