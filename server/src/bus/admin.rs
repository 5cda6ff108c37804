//! The bus feature's part of `serve`'s command line: the timetable and live data to serve.

use std::path::PathBuf;

use super::{BusError, BusFiles, BusState};

#[derive(Debug, Clone, Default, clap::Args)]
pub struct BusArgs {
    /// The city's bus timetable (a GTFS zip), served at /v1/bus/gtfs.zip.
    #[arg(long, value_name = "ZIP")]
    pub bus_gtfs: Option<PathBuf>,
    /// Live bus data to replay at /v1/bus/realtime: GTFS-Realtime captures (trip
    /// updates, vehicle positions, alerts), merged into one message; repeatable.
    #[arg(long, value_name = "FILE")]
    pub bus_realtime: Vec<PathBuf>,
}

impl BusArgs {
    /// The files read and checked, before the gateway starts listening.
    pub fn load(self) -> Result<BusState, BusError> {
        BusState::load(&BusFiles {
            gtfs: self.bus_gtfs,
            realtime: self.bus_realtime,
        })
    }
}
