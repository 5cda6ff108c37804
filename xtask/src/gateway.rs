//! Runs `civic-gateway serve` as a child process for `run` and `bench sync`.

use std::path::Path;
use std::process::{Child, Command, Stdio};

use crate::util::{Result, word_after};

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
        let url = word_after(&mut child, "listening on ", "the gateway");
        // Stopped on drop even when it never said where it listens.
        let mut started = Self {
            child,
            url: String::new(),
        };
        started.url = url?;
        Ok(started)
    }
}

impl Drop for GatewayProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
