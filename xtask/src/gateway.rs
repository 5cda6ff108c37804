//! Runs `civic-gateway serve` as a child process for `run` and `bench sync`.

use std::io::BufRead;
use std::path::Path;
use std::process::{Child, Command, Stdio};

use crate::util::Result;

/// A gateway on a free loopback port, stopped when dropped.
pub struct GatewayProcess {
    child: Child,
    /// `http://127.0.0.1:<port>`
    pub url: String,
}

impl GatewayProcess {
    /// Starts the gateway on `database` with the city profile `city` and waits until it
    /// listens (an empty catalog is seeded from the bundled snapshot first).
    pub fn start(binary: &Path, database: &str, city: &Path) -> Result<Self> {
        let mut child = Command::new(binary)
            .args([
                "--database",
                database,
                "serve",
                "--addr",
                "127.0.0.1:0",
                "--city",
            ])
            .arg(city)
            .env("RUST_LOG", "warn")
            .stdout(Stdio::piped())
            .spawn()
            .map_err(|e| format!("cannot start {}: {e}", binary.display()))?;
        let stdout = child.stdout.take().ok_or("no stdout from the gateway")?;
        let mut started = Self {
            child,
            url: String::new(),
        };
        let mut lines = std::io::BufReader::new(stdout).lines();
        started.url = loop {
            let line = lines
                .next()
                .ok_or("the gateway exited before listening")?
                .map_err(|e| e.to_string())?;
            if let Some(rest) = line.split("listening on ").nth(1) {
                break rest
                    .split_whitespace()
                    .next()
                    .unwrap_or_default()
                    .to_owned();
            }
        };
        // Keep draining stdout so the gateway never blocks on a full pipe.
        std::thread::spawn(move || lines.for_each(drop));
        Ok(started)
    }
}

impl Drop for GatewayProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
