//! A throwaway PostgreSQL server for tests and benchmarks: a fresh cluster in a temporary
//! directory, on a free loopback port, stopped and deleted when dropped. `initdb` refuses to
//! run as root, so as root the server runs as Debian's `postgres` user.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::util::{Result, output, run};

pub struct TestPostgres {
    dir: PathBuf,
    bin: PathBuf,
    as_postgres: bool,
    /// `postgres://civic@127.0.0.1:<port>/postgres`
    pub url: String,
}

/// The newest installed server's `bin/` (Debian: /usr/lib/postgresql/<major>/bin).
fn server_bin() -> Result<PathBuf> {
    let mut found: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .map_err(|e| format!("PostgreSQL server not installed (/usr/lib/postgresql: {e})"))?
        .filter_map(|entry| {
            let entry = entry.ok()?;
            let major = entry.file_name().to_str()?.parse::<u32>().ok()?;
            let bin = entry.path().join("bin");
            bin.join("initdb").exists().then_some((major, bin))
        })
        .collect();
    found.sort();
    found
        .pop()
        .map(|(_, bin)| bin)
        .ok_or_else(|| "no initdb under /usr/lib/postgresql/*/bin".into())
}

fn free_port() -> Result<u16> {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").map_err(|e| e.to_string())?;
    Ok(listener.local_addr().map_err(|e| e.to_string())?.port())
}

impl TestPostgres {
    pub fn start() -> Result<Self> {
        let bin = server_bin()?;
        let as_postgres = output(Command::new("id").arg("-u")).is_some_and(|u| u.trim() == "0");
        // Under /tmp: the server's user must reach it, which a clone under /root may not allow.
        let dir = std::env::temp_dir().join(format!("civic-postgres-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        if as_postgres {
            run(Command::new("chown").arg("postgres:postgres").arg(&dir))?;
        }
        let port = free_port()?;
        let started = Self {
            dir: dir.clone(),
            bin,
            as_postgres,
            url: format!("postgres://civic@127.0.0.1:{port}/postgres"),
        };
        let data = dir.join("data");
        started.pg("initdb", |c| {
            c.args([
                "--auth=trust",
                "--username=civic",
                "--encoding=UTF8",
                "--no-sync",
                "-D",
            ])
            .arg(&data);
        })?;
        let options = format!(
            "-p {port} -c listen_addresses=127.0.0.1 -k {} -c fsync=off -c synchronous_commit=off -c full_page_writes=off",
            dir.display()
        );
        started.pg("pg_ctl", |c| {
            c.args(["-w", "-t", "60", "-D"])
                .arg(&data)
                .args(["-o", &options, "-l"])
                .arg(dir.join("server.log"))
                .arg("start");
        })?;
        Ok(started)
    }

    fn pg(&self, tool: &str, args: impl FnOnce(&mut Command)) -> Result {
        let program = self.bin.join(tool);
        let mut command = if self.as_postgres {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(&program);
            c
        } else {
            Command::new(&program)
        };
        command.current_dir(Path::new("/"));
        args(&mut command);
        run(&mut command)
    }
}

impl Drop for TestPostgres {
    fn drop(&mut self) {
        let data = self.dir.join("data");
        let _ = self.pg("pg_ctl", |c| {
            c.args(["-w", "-D"])
                .arg(&data)
                .args(["-m", "immediate", "stop"]);
        });
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
