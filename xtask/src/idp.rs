//! Runs the OpenID Provider in `tests/idp` (panva's `oidc-provider`) for `cargo xtask run`:
//! the local stand-in for the national eID, named by the demo city's profile.

use std::process::{Child, Command, Stdio};

use crate::util::{Result, root, word_after};

/// The provider on a free loopback port, stopped when dropped.
pub struct DemoIdp {
    child: Child,
    /// `http://127.0.0.1:<port>`, the issuer the city profile names.
    pub issuer: String,
}

impl DemoIdp {
    pub fn start() -> Result<Self> {
        let mut child = Command::new("node")
            .arg("server.mjs")
            .current_dir(root().join("tests/idp"))
            .env("CIVIC_IDP_PORT", "0")
            .stdout(Stdio::piped())
            // Its start-up warnings (development adapter, dev interactions) are expected.
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("cannot start the identity provider (node): {e}"))?;
        let issuer = word_after(&mut child, "listening ", "the identity provider");
        // Stopped on drop even when it never said where it listens.
        let mut started = Self {
            child,
            issuer: String::new(),
        };
        started.issuer = issuer?;
        Ok(started)
    }
}

impl Drop for DemoIdp {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
