//! Runs `civic-gateway serve` as a child process for `run` and `bench sync`.

use std::path::Path;
use std::process::Command;

use crate::util::{Result, ServerProcess};

/// Starts the gateway on `database` with the city profile `city` on a free loopback port and
/// waits until it listens (an empty catalog is seeded from the bundled snapshot first). Its
/// `address` is `http://127.0.0.1:<port>`. `extra`: more `serve` options.
pub fn start(
    binary: &Path,
    database: &str,
    city: &Path,
    extra: &[&std::ffi::OsStr],
) -> Result<ServerProcess> {
    ServerProcess::start(
        Command::new(binary)
            .args([
                "--database",
                database,
                "serve",
                "--addr",
                "127.0.0.1:0",
                "--city",
            ])
            .arg(city)
            .args(extra)
            .env("RUST_LOG", "warn"),
        "listening on ",
        &format!("the gateway ({})", binary.display()),
    )
}
