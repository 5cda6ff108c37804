//! SQLite plumbing shared by every component: open with WAL, migrate by `PRAGMA user_version`,
//! and [`Store`], the one connection-and-write-transaction type every component's store holds.
//!
//! Invariants: all upgrades run in one transaction (a failed upgrade leaves the old schema);
//! a database written by a newer app version is refused, never downgraded; a damaged file is
//! moved aside, never deleted.

use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, PoisonError};

use rusqlite::{Connection, OpenFlags, Transaction};

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
    #[error("cannot move the damaged database aside: {0}")]
    MoveAside(std::io::Error),
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

/// One component's SQLite file: one connection (one writer), each change one transaction.
/// Shared between threads; a panic while the lock was held leaves SQLite's own state
/// consistent (an unfinished transaction rolls back), so a poisoned lock is taken over.
#[derive(Debug)]
pub struct Store {
    conn: Mutex<Connection>,
}

/// A store, and where its damaged predecessor was put when it had to be made afresh.
#[derive(Debug)]
pub struct Renewed {
    pub store: Store,
    pub damaged_kept_at: Option<PathBuf>,
}

impl Store {
    /// Opens (creating and migrating if needed) the file at `path`; a damaged file is an error.
    pub fn open(migrations: Migrations, path: &Path) -> Result<Self, OpenError> {
        Ok(Self::from(migrations.open(path)?))
    }

    /// Opens the file at `path`; a damaged one is moved aside (kept for support) and a fresh
    /// one made, for stores whose data can come again (from a sync or the bundled snapshot).
    pub fn open_or_renew(migrations: Migrations, path: &Path) -> Result<Renewed, OpenError> {
        match migrations.open(path) {
            Ok(conn) => Ok(Renewed {
                store: Self::from(conn),
                damaged_kept_at: None,
            }),
            Err(OpenError::Corrupt(_)) => {
                let aside = move_aside(path).map_err(OpenError::MoveAside)?;
                Ok(Renewed {
                    store: Self::from(migrations.open(path)?),
                    damaged_kept_at: Some(aside),
                })
            }
            Err(other) => Err(other),
        }
    }

    pub fn in_memory(migrations: Migrations) -> Result<Self, OpenError> {
        Ok(Self::from(migrations.open_in_memory()?))
    }

    /// The connection, for reads (and for a caller that needs a transaction of its own).
    pub fn conn(&self) -> MutexGuard<'_, Connection> {
        self.conn.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The connection without locking, for an owner that holds the store exclusively (a
    /// borrow the compiler checks, where a second lock would deadlock).
    pub fn conn_mut(&mut self) -> &mut Connection {
        self.conn.get_mut().unwrap_or_else(PoisonError::into_inner)
    }

    /// Runs `apply` in one write transaction, committed only when it returns `Ok`.
    /// IMMEDIATE: the file's write lock is taken up front, so what `apply` reads is what it
    /// replaces even when another process (the CLI beside the app) shares the file.
    pub fn write<T, E: From<rusqlite::Error>>(
        &self,
        apply: impl FnOnce(&Transaction<'_>) -> Result<T, E>,
    ) -> Result<T, E> {
        let mut conn = self.conn();
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let value = apply(&tx)?;
        tx.commit()?;
        Ok(value)
    }
}

impl From<Connection> for Store {
    fn from(conn: Connection) -> Self {
        Self {
            conn: Mutex::new(conn),
        }
    }
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
    fn a_write_that_fails_leaves_nothing_behind() {
        let store = Store::in_memory(STEPS).expect("store");
        let failed: Result<(), rusqlite::Error> = store.write(|tx| {
            tx.execute("INSERT INTO a (x, y) VALUES (1, 'kept?')", [])?;
            tx.execute("INSERT INTO nowhere VALUES (1)", [])?;
            Ok(())
        });
        assert!(failed.is_err());
        store
            .write(|tx| tx.execute("INSERT INTO a (x, y) VALUES (2, 'kept')", []))
            .expect("a later write");
        let rows: Vec<i64> = store
            .conn()
            .prepare("SELECT x FROM a")
            .expect("prepare")
            .query_map([], |r| r.get(0))
            .expect("query")
            .collect::<Result<_, _>>()
            .expect("rows");
        assert_eq!(rows, [2]);
    }

    #[test]
    fn a_damaged_file_is_kept_aside_and_a_fresh_one_made() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("t.sqlite3");
        let garbage = vec![0x42u8; 8192];
        std::fs::write(&path, &garbage).expect("write");
        assert!(matches!(
            Store::open(STEPS, &path),
            Err(OpenError::Corrupt(_))
        ));
        let renewed = Store::open_or_renew(STEPS, &path).expect("renewed");
        let aside = renewed.damaged_kept_at.expect("moved aside");
        assert_eq!(std::fs::read(&aside).expect("kept"), garbage);
        renewed
            .store
            .write(|tx| tx.execute("INSERT INTO a (x, y) VALUES (1, 'new')", []))
            .expect("the fresh file takes writes");
        let again = Store::open_or_renew(STEPS, &path).expect("reopened");
        assert!(again.damaged_kept_at.is_none(), "a sound file stays");
    }

    #[test]
    fn garbage_file_is_reported_as_corrupt() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("t.sqlite3");
        std::fs::write(&path, vec![0x42u8; 8192]).expect("write");
        assert!(matches!(STEPS.open(&path), Err(OpenError::Corrupt(_))));
    }
}
