use std::io::BufRead;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};

/// How to start the provider.
#[derive(Debug, Clone, Default)]
pub struct IdpOptions {
    /// A fixed port (to restart "the same" provider with a new signing key); any free one if
    /// `None`.
    pub port: Option<u16>,
    /// Access token lifetime in seconds (the provider's default if `None`).
    pub access_ttl: Option<u64>,
}

/// The real OpenID Provider on 127.0.0.1, with the fault switch on (`/__faults`).
#[derive(Debug)]
pub struct Idp {
    child: Child,
    /// `http://127.0.0.1:<port>`, the issuer.
    pub issuer: String,
    pub port: u16,
}

fn idp_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../idp")
}

impl Idp {
    pub fn start() -> Self {
        Self::start_with(&IdpOptions::default())
    }

    pub fn start_with(options: &IdpOptions) -> Self {
        let dir = idp_dir();
        assert!(
            dir.join("node_modules/oidc-provider").exists(),
            "the identity provider is not installed: run `cargo xtask install` (npm ci in {})",
            dir.display()
        );
        let mut command = Command::new("node");
        command
            .arg("server.mjs")
            .current_dir(&dir)
            .env("CIVIC_IDP_PORT", options.port.unwrap_or(0).to_string())
            .env("CIVIC_IDP_FAULTS", "1")
            .stdout(Stdio::piped())
            // Its start-up warnings (development adapter, dev interactions) are expected.
            .stderr(Stdio::null());
        if let Some(ttl) = options.access_ttl {
            command.env("CIVIC_IDP_ACCESS_TTL", ttl.to_string());
        }
        let mut child = command.spawn().expect("start node (the identity provider)");
        let stdout = child.stdout.take().expect("the provider's stdout");
        let mut lines = std::io::BufReader::new(stdout).lines();
        let issuer = loop {
            let line = lines
                .next()
                .expect("the identity provider exited before listening")
                .expect("read the provider's output");
            if let Some(issuer) = line.strip_prefix("listening ") {
                break issuer.trim().to_owned();
            }
        };
        std::thread::spawn(move || lines.for_each(drop));
        let port = url::Url::parse(&issuer)
            .ok()
            .and_then(|u| u.port())
            .expect("the issuer has a port");
        Self {
            child,
            issuer,
            port,
        }
    }

    /// Makes the provider's next token response carry a doctored ID token: one of
    /// `bad-signature`, `wrong-audience`, `wrong-issuer`, `expired`, `issued-in-future`,
    /// `alg-none`, `symmetric` (see `tests/idp/server.mjs`).
    pub fn fault_next_token(&self, fault: &str) {
        let response = ureq::post(&format!(
            "{}/__faults/next-token?fault={fault}",
            self.issuer
        ))
        .send_empty()
        .expect("set a fault on the provider");
        assert_eq!(response.status(), 204, "fault {fault} not accepted");
    }

    /// Stops the provider now (the same as dropping it).
    pub fn stop(mut self) {
        self.kill();
    }

    fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Idp {
    fn drop(&mut self) {
        self.kill();
    }
}
