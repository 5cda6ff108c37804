//! A city's street parking, checked once: its tariffs, its zones (each naming one of the
//! tariffs) and whom residents pay. The gateway refuses to start on a profile that does not
//! check; the app relies on the same rules for the sessions it writes.

use std::collections::HashMap;

use civic_types::parking::{Fee, ParkingConfig, SessionUpload, VehicleKind, Zone};

use crate::{CheckedTariff, ParkingError, Plate};

#[derive(Debug, Clone)]
pub struct CheckedConfig {
    config: ParkingConfig,
    tariffs: HashMap<String, CheckedTariff>,
}

/// A session whose plate, zone and times follow the city's rules, with its fee.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedSession {
    pub plate: Plate,
    pub fee: Fee,
}

impl CheckedConfig {
    pub fn new(config: ParkingConfig) -> Result<Self, ParkingError> {
        let invalid = |what: String| Err(ParkingError::Tariff(what));
        let mut tariffs = HashMap::new();
        for tariff in &config.tariffs {
            let id = tariff.id.clone();
            if tariffs
                .insert(id.clone(), CheckedTariff::new(tariff.clone())?)
                .is_some()
            {
                return invalid(format!("two tariffs are named `{id}`"));
            }
        }
        let mut zone_ids = std::collections::HashSet::new();
        for zone in &config.zones {
            if zone.id.is_empty() || !zone_ids.insert(zone.id.as_str()) {
                return invalid(format!(
                    "zone ids must be present and distinct (`{}`)",
                    zone.id
                ));
            }
            let Some(tariff) = tariffs.get(&zone.tariff) else {
                return invalid(format!(
                    "zone `{}` names tariff `{}`, which the profile does not have",
                    zone.id, zone.tariff
                ));
            };
            if let Some(kind) = zone.kinds.iter().find(|k| !tariff.prices(**k)) {
                return invalid(format!(
                    "zone `{}` takes {kind:?}, which tariff `{}` has no price for",
                    zone.id, zone.tariff
                ));
            }
            let place_ok =
                (-90.0..=90.0).contains(&zone.lat) && (-180.0..=180.0).contains(&zone.lon);
            if !place_ok || zone.max_minutes == 0 {
                return invalid(format!(
                    "zone `{}` needs a latitude, a longitude and a positive `max_minutes`",
                    zone.id
                ));
            }
        }
        // The payee is checked as a payment code would check it.
        crate::Transfer {
            bin: config.payee.bin.clone(),
            account: config.payee.account.clone(),
            amount: 1,
            reference: "CHECK".into(),
        }
        .payload()?;
        Ok(Self { config, tariffs })
    }

    pub fn config(&self) -> &ParkingConfig {
        &self.config
    }

    pub fn zone(&self, id: &str) -> Result<(&Zone, &CheckedTariff), ParkingError> {
        self.config
            .zones
            .iter()
            .find(|z| z.id == id)
            .and_then(|zone| Some((zone, self.tariffs.get(&zone.tariff)?)))
            .ok_or_else(|| ParkingError::UnknownZone(id.to_owned()))
    }

    pub fn tariff(&self, id: &str) -> Option<&CheckedTariff> {
        self.tariffs.get(id)
    }

    /// The kinds a zone takes: its list, else every kind its tariff prices.
    pub fn kinds(&self, zone: &str) -> Result<Vec<VehicleKind>, ParkingError> {
        self.config
            .zone_kinds(zone)
            .ok_or_else(|| ParkingError::UnknownZone(zone.to_owned()))
    }

    /// Checks a session against the city's rules and computes its fee: the plate reads,
    /// the zone exists and takes the kind, it ends after it starts and lasts no longer than
    /// the zone allows, and a stop falls within it.
    pub fn check(&self, session: &SessionUpload) -> Result<CheckedSession, ParkingError> {
        let plate = Plate::parse(&session.plate)?;
        let (zone, tariff) = self.zone(&session.zone)?;
        if !self.kinds(&zone.id)?.contains(&session.kind) {
            return Err(ParkingError::NoRate(session.kind));
        }
        let time = |what: &str| Err(ParkingError::Time(what.to_owned()));
        if session.ends_at <= session.starts_at {
            return time("a session ends after it starts");
        }
        if session.ends_at - session.starts_at > i64::from(zone.max_minutes) * 60 {
            return time("the session is longer than the zone allows");
        }
        let end = match session.stopped_at {
            Some(stopped) if stopped < session.starts_at || stopped > session.ends_at => {
                return time("a session stops within its booked time");
            }
            Some(stopped) => stopped,
            None => session.ends_at,
        };
        let fee = tariff.fee(session.kind, session.starts_at, end)?;
        Ok(CheckedSession { plate, fee })
    }
}

/// Whether two stays `[start, end)` share a moment.
#[must_use]
pub fn overlaps(a: (i64, i64), b: (i64, i64)) -> bool {
    a.0 < b.1 && b.0 < a.1
}
