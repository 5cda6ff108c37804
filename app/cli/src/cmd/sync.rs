//! `civic sync`: one round of the app's own scheduler.

use std::io::{IsTerminal, Write};
use std::path::Path;

use civic_types::sync::SyncState;

use crate::{Failure, GATEWAY_ENV, render};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The gateway, e.g. http://127.0.0.1:8080 (default: $CIVIC_GATEWAY_URL, else the
    /// gateway of the last sync).
    #[arg(long)]
    gateway: Option<String>,
    /// Print the report as JSON.
    #[arg(long)]
    json: bool,
}

#[derive(Debug, thiserror::Error)]
#[error(
    "chưa có địa chỉ cổng dữ liệu của tỉnh/thành (no gateway): pass --gateway URL or set {GATEWAY_ENV}"
)]
struct NoGateway;

pub fn run(args: Args, data_dir: &Path, out: &mut impl Write) -> Result<(), Failure> {
    let civic = crate::open(data_dir, args.gateway.as_deref())?;
    let show_progress = std::io::stderr().is_terminal();
    let report = civic
        .sync_now(&|| {
            if let (true, SyncState::Syncing { received, total }) =
                (show_progress, civic.scheduler().state())
            {
                render::progress(received, total);
            }
        })
        .ok_or(NoGateway)??;
    if args.json {
        serde_json::to_writer(&mut *out, &report)?;
        writeln!(out)?;
    } else {
        render::sync_report(out, &report)?;
    }
    Ok(())
}
