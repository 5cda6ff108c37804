//! The bus component's SQLite file: the timetable as received (its zip), the stops and
//! routes the pages list (stops with an R*Tree for "nearby"), the latest live message, and
//! the resident's starred stops and routes. One writer; a new timetable replaces the old
//! in one transaction, so a crash mid-write leaves the old one whole.

use std::path::Path;
use std::sync::MutexGuard;

use rusqlite::{Connection, OptionalExtension, Transaction, params};

use crate::gtfs::{Feed, ImportReport};
use civic_types::bus::{RouteSummary, StarKind, StopSummary};

const MIGRATIONS: civic_db::Migrations = civic_db::Migrations(&[include_str!("sql/001_bus.sql")]);

#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    #[error(transparent)]
    Open(#[from] civic_db::OpenError),
    #[error("bus data on this device: {0}")]
    Sqlite(#[from] rusqlite::Error),
}

/// What is known of the timetable held.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedRecord {
    pub etag: Option<String>,
    pub gateway: String,
    pub received: i64,
    pub checked: i64,
    pub stops: u32,
    pub routes: u32,
    pub rejected_rows: u32,
}

/// The latest live message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LiveRecord {
    pub message: Vec<u8>,
    pub etag: Option<String>,
    pub received: i64,
}

#[derive(Debug)]
pub struct BusStore {
    db: civic_db::Store,
}

impl BusStore {
    pub fn open(path: &Path) -> Result<Self, StoreError> {
        Ok(Self {
            db: civic_db::Store::open(MIGRATIONS, path)?,
        })
    }

    pub fn open_in_memory() -> Result<Self, StoreError> {
        Ok(Self {
            db: civic_db::Store::in_memory(MIGRATIONS)?,
        })
    }

    fn conn(&self) -> MutexGuard<'_, Connection> {
        self.db.conn()
    }

    fn write<T>(
        &self,
        apply: impl FnOnce(&Transaction<'_>) -> rusqlite::Result<T>,
    ) -> Result<T, StoreError> {
        Ok(self.db.write(apply)?)
    }

    /// Replaces the timetable with `zip`, already read as `feed`.
    pub fn replace_feed(
        &self,
        zip: &[u8],
        feed: &Feed,
        report: &ImportReport,
        etag: Option<&str>,
        gateway: &str,
        now: i64,
    ) -> Result<(), StoreError> {
        let routes_at = crate::routes::routes_by_stop(feed);
        self.write(|tx| {
            tx.execute_batch("DELETE FROM feed; DELETE FROM stops; DELETE FROM stops_at; DELETE FROM routes; DELETE FROM live;")?;
            tx.execute(
                "INSERT INTO feed (id, zip, etag, gateway, received, checked, stops, routes, rejected_rows)
                 VALUES (1, ?1, ?2, ?3, ?4, ?4, ?5, ?6, ?7)",
                params![
                    zip,
                    etag,
                    gateway,
                    now,
                    report.stops,
                    report.routes,
                    report.rejected_rows
                ],
            )?;
            let mut stop = tx.prepare(
                "INSERT INTO stops (number, id, name, folded, lat, lon, routes) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )?;
            let mut at = tx.prepare(
                "INSERT INTO stops_at (number, south, north, west, east) VALUES (?1, ?2, ?2, ?3, ?3)",
            )?;
            // Lists show stations, not their platforms, and no stop no bus calls at.
            let listed = feed
                .stops
                .iter()
                .zip(&routes_at)
                .enumerate()
                .filter(|(_, (s, routes))| s.parent.is_none() && !routes.is_empty());
            for (number, (s, routes)) in listed {
                let routes = serde_json::to_string(routes).unwrap_or_else(|_| "[]".into());
                stop.execute(params![
                    number,
                    s.id,
                    s.name,
                    civic_text::fold(&s.name),
                    s.lat,
                    s.lon,
                    routes
                ])?;
                at.execute(params![number, s.lat, s.lon])?;
            }
            let mut route =
                tx.prepare("INSERT INTO routes (id, name, long_name, color) VALUES (?1, ?2, ?3, ?4)")?;
            for r in &feed.routes {
                route.execute(params![r.id, crate::route_name(r), r.long_name, r.color])?;
            }
            Ok(())
        })
    }

    /// The gateway confirmed the timetable held at `now` (a 304).
    pub fn mark_checked(&self, now: i64) -> Result<(), StoreError> {
        self.write(|tx| tx.execute("UPDATE feed SET checked = ?1", [now]))?;
        Ok(())
    }

    pub fn feed(&self) -> Result<Option<FeedRecord>, StoreError> {
        Ok(self
            .conn()
            .query_row(
                "SELECT etag, gateway, received, checked, stops, routes, rejected_rows FROM feed",
                [],
                |r| {
                    Ok(FeedRecord {
                        etag: r.get(0)?,
                        gateway: r.get(1)?,
                        received: r.get(2)?,
                        checked: r.get(3)?,
                        stops: r.get(4)?,
                        routes: r.get(5)?,
                        rejected_rows: r.get(6)?,
                    })
                },
            )
            .optional()?)
    }

    pub fn feed_zip(&self) -> Result<Option<Vec<u8>>, StoreError> {
        Ok(self
            .conn()
            .query_row("SELECT zip FROM feed", [], |r| r.get(0))
            .optional()?)
    }

    pub fn save_live(
        &self,
        message: &[u8],
        etag: Option<&str>,
        now: i64,
    ) -> Result<(), StoreError> {
        self.write(|tx| {
            tx.execute(
                "INSERT INTO live (id, message, etag, received) VALUES (1, ?1, ?2, ?3)
                 ON CONFLICT (id) DO UPDATE SET message = ?1, etag = ?2, received = ?3",
                params![message, etag, now],
            )
        })?;
        Ok(())
    }

    /// The held live message's ETag, without reading the message.
    pub fn live_etag(&self) -> Result<Option<String>, StoreError> {
        Ok(self
            .conn()
            .query_row("SELECT etag FROM live", [], |r| r.get(0))
            .optional()?
            .flatten())
    }

    pub fn live(&self) -> Result<Option<LiveRecord>, StoreError> {
        Ok(self
            .conn()
            .query_row("SELECT message, etag, received FROM live", [], |r| {
                Ok(LiveRecord {
                    message: r.get(0)?,
                    etag: r.get(1)?,
                    received: r.get(2)?,
                })
            })
            .optional()?)
    }

    /// Stops within `radius` metres of a point, nearest first: the R*Tree narrows to a box,
    /// the great-circle distance decides.
    pub fn nearby(
        &self,
        lat: f64,
        lon: f64,
        radius: f64,
        limit: usize,
    ) -> Result<Vec<StopSummary>, StoreError> {
        let (south, west, north, east) = civic_types::geo::box_around(lat, lon, radius);
        let conn = self.conn();
        let mut query = conn.prepare_cached(
            "SELECT s.id, s.name, s.lat, s.lon, s.routes,
                    EXISTS (SELECT 1 FROM starred WHERE kind = 'stop' AND starred.id = s.id)
             FROM stops_at a JOIN stops s USING (number)
             WHERE a.south >= ?1 AND a.north <= ?2 AND a.west >= ?3 AND a.east <= ?4",
        )?;
        let mut found: Vec<StopSummary> = query
            .query_map(params![south, north, west, east], stop_row)?
            .collect::<Result<_, _>>()?;
        for stop in &mut found {
            stop.distance = Some(crate::raptor::haversine_m(lat, lon, stop.lat, stop.lon));
        }
        found.retain(|s| s.distance.is_some_and(|d| d <= radius));
        found.sort_by(|a, b| {
            a.distance
                .unwrap_or(f64::MAX)
                .total_cmp(&b.distance.unwrap_or(f64::MAX))
                .then_with(|| a.id.cmp(&b.id))
        });
        found.truncate(limit);
        Ok(found)
    }

    /// Stops whose name holds every word typed, accents optional; names starting with the
    /// first word first.
    pub fn search(&self, query: &str, limit: usize) -> Result<Vec<StopSummary>, StoreError> {
        let words = civic_text::fold_tokens(query);
        let Some(first) = words.first() else {
            return Ok(Vec::new());
        };
        let pattern = |w: &str| {
            format!(
                "%{}%",
                w.replace('\\', "\\\\")
                    .replace('%', "\\%")
                    .replace('_', "\\_")
            )
        };
        let conn = self.conn();
        let mut query = conn.prepare_cached(
            "SELECT s.id, s.name, s.lat, s.lon, s.routes,
                    EXISTS (SELECT 1 FROM starred WHERE kind = 'stop' AND starred.id = s.id), s.folded
             FROM stops s WHERE s.folded LIKE ?1 ESCAPE '\\' ORDER BY s.folded, s.id",
        )?;
        let rows = query.query_map([pattern(first)], |r| {
            Ok((stop_row(r)?, r.get::<_, String>(6)?))
        })?;
        let mut found = Vec::new();
        for row in rows {
            let (stop, folded) = row?;
            // Every word somewhere in the name (a word that starts one of the name's words
            // is in it too).
            if words.iter().all(|w| folded.contains(w.as_str())) {
                let starts = folded.starts_with(first.as_str());
                found.push((!starts, stop));
            }
        }
        found.sort_by_key(|a| a.0);
        Ok(found.into_iter().take(limit).map(|(_, s)| s).collect())
    }

    /// Stops by id, in the order given; ids the timetable lacks are left out.
    pub fn stops(&self, ids: &[String]) -> Result<Vec<StopSummary>, StoreError> {
        let conn = self.conn();
        let mut query = conn.prepare_cached(
            "SELECT s.id, s.name, s.lat, s.lon, s.routes,
                    EXISTS (SELECT 1 FROM starred WHERE kind = 'stop' AND starred.id = s.id)
             FROM stops s WHERE s.id = ?1",
        )?;
        let mut found = Vec::new();
        for id in ids {
            if let Some(stop) = query.query_row([id], stop_row).optional()? {
                found.push(stop);
            }
        }
        Ok(found)
    }

    pub fn routes(&self, ids: &[String]) -> Result<Vec<RouteSummary>, StoreError> {
        let conn = self.conn();
        let mut query = conn.prepare_cached(
            "SELECT r.id, r.name, r.long_name, r.color,
                    EXISTS (SELECT 1 FROM starred WHERE kind = 'route' AND starred.id = r.id)
             FROM routes r WHERE r.id = ?1",
        )?;
        let mut found = Vec::new();
        for id in ids {
            if let Some(route) = query
                .query_row([id], |r| {
                    Ok(RouteSummary {
                        id: r.get(0)?,
                        name: r.get(1)?,
                        long_name: r.get(2)?,
                        color: r.get(3)?,
                        starred: r.get(4)?,
                    })
                })
                .optional()?
            {
                found.push(route);
            }
        }
        Ok(found)
    }

    /// The box around every stop (south, west, north, east).
    pub fn bounds(&self) -> Result<Option<(f64, f64, f64, f64)>, StoreError> {
        Ok(self.conn().query_row(
            "SELECT min(lat), min(lon), max(lat), max(lon) FROM stops",
            [],
            |r| {
                Ok(match (r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?) {
                    (Some(s), Some(w), Some(n), Some(e)) => Some((s, w, n, e)),
                    _ => None,
                })
            },
        )?)
    }

    /// Stars (or unstars) a stop or a route.
    pub fn star(&self, kind: StarKind, id: &str, on: bool, now: i64) -> Result<(), StoreError> {
        self.write(|tx| {
            if on {
                tx.execute(
                    "INSERT OR IGNORE INTO starred (kind, id, added) VALUES (?1, ?2, ?3)",
                    params![kind_name(kind), id, now],
                )
            } else {
                tx.execute(
                    "DELETE FROM starred WHERE kind = ?1 AND id = ?2",
                    params![kind_name(kind), id],
                )
            }
        })?;
        Ok(())
    }

    /// Starred ids of `kind`, oldest first.
    pub fn starred(&self, kind: StarKind) -> Result<Vec<String>, StoreError> {
        let conn = self.conn();
        let mut query =
            conn.prepare_cached("SELECT id FROM starred WHERE kind = ?1 ORDER BY added, id")?;
        let ids = query
            .query_map([kind_name(kind)], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        Ok(ids)
    }
}

fn kind_name(kind: StarKind) -> &'static str {
    match kind {
        StarKind::Stop => "stop",
        StarKind::Route => "route",
    }
}

fn stop_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<StopSummary> {
    let routes: String = r.get(4)?;
    Ok(StopSummary {
        id: r.get(0)?,
        name: r.get(1)?,
        lat: r.get(2)?,
        lon: r.get(3)?,
        distance: None,
        routes: serde_json::from_str(&routes).unwrap_or_default(),
        starred: r.get(5)?,
    })
}
