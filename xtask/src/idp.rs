//! Runs the OpenID Provider in `tests/idp` (panva's `oidc-provider`) for `cargo xtask run`:
//! the local stand-in for the national eID, named by the demo city's profile.

use std::process::{Command, Stdio};

use crate::util::{Result, ServerProcess, root};

/// Starts the provider on a free loopback port; its `address` (`http://127.0.0.1:<port>`)
/// is the issuer the city profile names.
pub fn start() -> Result<ServerProcess> {
    ServerProcess::start(
        Command::new("node")
            .arg("server.mjs")
            .current_dir(root().join("tests/idp"))
            .env("CIVIC_IDP_PORT", "0")
            // Its start-up warnings (development adapter, dev interactions) are expected.
            .stderr(Stdio::null()),
        "listening ",
        "the identity provider (node)",
    )
}
