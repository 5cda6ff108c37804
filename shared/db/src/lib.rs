//! SQLite plumbing shared by every component: open with WAL, migrate by `PRAGMA user_version`.
//!
//! Invariants: all upgrades run in one transaction (a failed upgrade leaves the old schema);
//! a database written by a newer app version is refused, never downgraded.

use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags};

#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum OpenError {
    #[error(
        "this database was written by a newer version of Civic (schema {found}, this app knows up to {supported}); update the app"
    )]
    NewerSchema { found: u32, supported: u32 },
    #[error("the database file is damaged or is not a Civic database: {0}")]
    Corrupt(rusqlite::Error),
    #[error("cannot open the database: {0}")]
    Sqlite(#[from] rusqlite::Error),
}

impl OpenError {
    fn classify(error: rusqlite::Error) -> Self {
        use rusqlite::ErrorCode::{DatabaseCorrupt, NotADatabase};
        match error.sqlite_error_code() {
            Some(DatabaseCorrupt | NotADatabase) => Self::Corrupt(error),
            _ => Self::Sqlite(error),
        }
    }
}

/// Moves a damaged database file (and its WAL sidecars) aside as `*.damaged-<unix time>`,
/// kept for support, never deleted, so a fresh one can be made in its place.
pub fn move_aside(path: &Path) -> std::io::Result<PathBuf> {
    let stamp = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let aside = PathBuf::from(format!("{}.damaged-{stamp}", path.display()));
    std::fs::rename(path, &aside)?;
    for suffix in ["-wal", "-shm"] {
        let sidecar = PathBuf::from(format!("{}{suffix}", path.display()));
        if sidecar.exists() {
            std::fs::rename(&sidecar, format!("{}{suffix}", aside.display()))?;
        }
    }
    Ok(aside)
}

/// Ordered schema steps: step `i` upgrades `user_version` `i` to `i + 1`.
#[derive(Debug, Clone, Copy)]
pub struct Migrations(pub &'static [&'static str]);

impl Migrations {
    pub fn latest(&self) -> u32 {
        u32::try_from(self.0.len()).unwrap_or(u32::MAX)
    }

    /// Opens (creating if needed) and brings the schema up to date.
    pub fn open(&self, path: &Path) -> Result<Connection, OpenError> {
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE
                | OpenFlags::SQLITE_OPEN_CREATE
                | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        self.prepare(conn)
    }

    pub fn open_in_memory(&self) -> Result<Connection, OpenError> {
        self.prepare(Connection::open_in_memory()?)
    }

    fn prepare(&self, mut conn: Connection) -> Result<Connection, OpenError> {
        // The first real read is where SQLite notices a file that is not a database.
        conn.pragma_update(None, "journal_mode", "WAL")
            .map_err(OpenError::classify)?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        let check: String = conn
            .query_row("PRAGMA quick_check", [], |r| r.get(0))
            .map_err(OpenError::classify)?;
        if check != "ok" {
            return Err(OpenError::Corrupt(rusqlite::Error::SqliteFailure(
                rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_CORRUPT),
                Some(check),
            )));
        }
        self.migrate(&mut conn)?;
        Ok(conn)
    }

    fn migrate(&self, conn: &mut Connection) -> Result<(), OpenError> {
        let found: u32 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(OpenError::classify)?;
        let supported = self.latest();
        if found > supported {
            return Err(OpenError::NewerSchema { found, supported });
        }
        if found == supported {
            return Ok(());
        }
        let tx = conn.transaction()?;
        for step in &self.0[found as usize..] {
            tx.execute_batch(step)?;
        }
        tx.pragma_update(None, "user_version", supported)?;
        tx.commit()?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const STEPS: Migrations = Migrations(&[
        "CREATE TABLE a (x INTEGER);",
        "ALTER TABLE a ADD COLUMN y TEXT;",
    ]);

    #[test]
    fn migrates_in_steps_and_remembers_the_version() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("t.sqlite3");
        Migrations(&STEPS.0[..1]).open(&path).expect("v1");
        let conn = STEPS.open(&path).expect("v2");
        let version: u32 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .expect("version");
        assert_eq!(version, 2);
        conn.execute("INSERT INTO a (x, y) VALUES (1, 'b')", [])
            .expect("new column exists");
        let mode: String = conn
            .query_row("PRAGMA journal_mode", [], |r| r.get(0))
            .expect("mode");
        assert_eq!(mode, "wal");
    }

    #[test]
    fn a_failing_step_leaves_the_old_schema() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("t.sqlite3");
        Migrations(&STEPS.0[..1]).open(&path).expect("v1");
        const BROKEN: Migrations = Migrations(&[
            "CREATE TABLE a (x INTEGER);",
            "ALTER TABLE a ADD COLUMN y TEXT;",
            "NOT SQL",
        ]);
        let broken = BROKEN;
        assert!(matches!(broken.open(&path), Err(OpenError::Sqlite(_))));
        let conn = Migrations(&STEPS.0[..1]).open(&path).expect("still v1");
        let version: u32 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .expect("version");
        assert_eq!(version, 1);
        assert!(
            conn.execute("INSERT INTO a (x, y) VALUES (1, 'b')", [])
                .is_err(),
            "step 2 was rolled back"
        );
    }

    #[test]
    fn refuses_a_newer_schema() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("t.sqlite3");
        STEPS.open(&path).expect("v2");
        let err = Migrations(&STEPS.0[..1])
            .open(&path)
            .expect_err("newer refused");
        assert!(matches!(
            err,
            OpenError::NewerSchema {
                found: 2,
                supported: 1
            }
        ));
        assert!(err.to_string().contains("newer version"));
    }

    #[test]
    fn garbage_file_is_reported_as_corrupt() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("t.sqlite3");
        std::fs::write(&path, vec![0x42u8; 8192]).expect("write");
        assert!(matches!(STEPS.open(&path), Err(OpenError::Corrupt(_))));
    }
}
