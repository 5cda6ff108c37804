//! A throwaway Secret Service for tests and the local demo: a private D-Bus session bus with
//! gnome-keyring-daemon on it, its keyrings in a temporary directory, both stopped and the
//! directory deleted when dropped. Nothing touches the user's own keyring.

use std::io::{BufRead, Write};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::util::{Result, output};

pub struct SecretService {
    dir: PathBuf,
    bus: Child,
    keyring: Option<Child>,
    /// For `DBUS_SESSION_BUS_ADDRESS`.
    pub address: String,
}

/// The unlock password of the throwaway login keyring (it only ever holds test tokens).
const PASSWORD: &str = "civic-test-keyring";

impl SecretService {
    pub fn start() -> Result<Self> {
        let dir = std::env::temp_dir().join(format!("civic-keyring-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        for sub in ["home", "data", "run"] {
            std::fs::create_dir_all(dir.join(sub))
                .map_err(|e| format!("{}: {e}", dir.display()))?;
        }
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            // gnome-keyring refuses a runtime directory others can read.
            let _ =
                std::fs::set_permissions(dir.join("run"), std::fs::Permissions::from_mode(0o700));
        }
        let mut bus = Command::new("dbus-daemon")
            .args(["--session", "--nofork", "--nopidfile", "--print-address=1"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("cannot start dbus-daemon: {e}"))?;
        let stdout = bus.stdout.take().ok_or("no address from dbus-daemon")?;
        let mut address = String::new();
        std::io::BufReader::new(stdout)
            .read_line(&mut address)
            .map_err(|e| format!("dbus-daemon: {e}"))?;
        let mut started = Self {
            dir: dir.clone(),
            bus,
            keyring: None,
            address: address.trim().to_owned(),
        };
        if started.address.is_empty() {
            return Err("dbus-daemon printed no address".into());
        }
        let mut keyring = Command::new("gnome-keyring-daemon")
            .args(["--foreground", "--unlock", "--components=secrets"])
            .env("DBUS_SESSION_BUS_ADDRESS", &started.address)
            .env("HOME", dir.join("home"))
            .env("XDG_DATA_HOME", dir.join("data"))
            .env("XDG_RUNTIME_DIR", dir.join("run"))
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("cannot start gnome-keyring-daemon: {e}"))?;
        if let Some(mut stdin) = keyring.stdin.take() {
            stdin
                .write_all(PASSWORD.as_bytes())
                .map_err(|e| format!("gnome-keyring-daemon: {e}"))?;
        }
        started.keyring = Some(keyring);
        let waiting = Instant::now();
        while waiting.elapsed() < Duration::from_secs(15) {
            if started.has_secrets() {
                return Ok(started);
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        Err("gnome-keyring-daemon did not offer org.freedesktop.secrets within 15 s".into())
    }

    fn has_secrets(&self) -> bool {
        output(
            Command::new("dbus-send")
                .arg(format!("--bus={}", self.address))
                .args([
                    "--print-reply",
                    "--dest=org.freedesktop.DBus",
                    "/org/freedesktop/DBus",
                    "org.freedesktop.DBus.NameHasOwner",
                    "string:org.freedesktop.secrets",
                ]),
        )
        .is_some_and(|reply| reply.contains("boolean true"))
    }
}

impl Drop for SecretService {
    fn drop(&mut self) {
        for child in self.keyring.iter_mut().chain([&mut self.bus]) {
            let _ = child.kill();
            let _ = child.wait();
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
