use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

pub type Result<T = ()> = std::result::Result<T, String>;

/// The workspace root (xtask lives one level below it).
pub fn root() -> PathBuf {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest
        .parent()
        .map_or(manifest.clone(), Path::to_path_buf)
}

pub fn cargo() -> Command {
    let mut command = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    command.current_dir(root());
    command
}

/// Runs a command to completion, failing with its description if it fails.
pub fn run(command: &mut Command) -> Result {
    println!("$ {}", describe(command));
    let status = command
        .status()
        .map_err(|e| format!("cannot start {}: {e}", describe(command)))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`{}` failed ({status})", describe(command)))
    }
}

/// Runs a command and returns its standard output, or `None` if it cannot run or fails.
pub fn output(command: &mut Command) -> Option<String> {
    let out = command.output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

pub fn describe(command: &Command) -> String {
    let mut parts = vec![command.get_program().to_string_lossy().into_owned()];
    parts.extend(command.get_args().map(|a| a.to_string_lossy().into_owned()));
    parts.join(" ")
}

pub fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| root().join("target"), PathBuf::from)
}

pub fn exe(name: &str) -> String {
    format!("{name}{}", std::env::consts::EXE_SUFFIX)
}

/// A server run as a child process: started, its address read from what it prints, and
/// stopped (killed and reaped) when dropped, also when it never said where it listens.
pub struct ServerProcess {
    child: Child,
    /// The word after the start-up marker: where the server listens.
    pub address: String,
}

impl ServerProcess {
    /// Spawns `command` with stdout piped and reads it until a line holding `marker`; the
    /// word after it is the address. Stdout keeps being drained in the background so the
    /// server never blocks on a full pipe. `what` names the server in errors.
    pub fn start(command: &mut Command, marker: &str, what: &str) -> Result<Self> {
        let child = command
            .stdout(Stdio::piped())
            .spawn()
            .map_err(|e| format!("cannot start {what}: {e}"))?;
        let mut server = Self {
            child,
            address: String::new(),
        };
        let stdout = server
            .child
            .stdout
            .take()
            .ok_or_else(|| format!("no stdout from {what}"))?;
        let mut lines = std::io::BufReader::new(stdout).lines();
        server.address = loop {
            let line = lines
                .next()
                .ok_or_else(|| format!("{what} exited before listening"))?
                .map_err(|e| e.to_string())?;
            if let Some((_, rest)) = line.split_once(marker) {
                break rest
                    .split_whitespace()
                    .next()
                    .unwrap_or_default()
                    .to_owned();
            }
        };
        std::thread::spawn(move || lines.for_each(drop));
        Ok(server)
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
