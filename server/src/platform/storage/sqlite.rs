//! One SQLite file, WAL, one writer connection and a pool of readers. rusqlite is blocking,
//! so every call runs on tokio's blocking pool.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};

use civic_db::Migrations;
use rusqlite::{Connection, OpenFlags, Transaction};

use super::RepoError;

#[derive(Debug, Clone)]
pub struct SqliteDb {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    path: PathBuf,
    writer: civic_db::Store,
    /// Idle read connections; a call takes one (or opens one) and puts it back.
    readers: Mutex<Vec<Connection>>,
}

impl SqliteDb {
    /// Opens (creating and migrating if needed) the database at `path`.
    pub async fn open(path: &Path, migrations: Migrations) -> Result<Self, RepoError> {
        let path = path.to_path_buf();
        blocking(move || {
            let writer = civic_db::Store::open(migrations, &path)?;
            Ok(Self {
                inner: Arc::new(Inner {
                    path,
                    writer,
                    readers: Mutex::new(Vec::new()),
                }),
            })
        })
        .await
    }

    pub fn path(&self) -> &Path {
        &self.inner.path
    }

    /// Runs `f` in one read transaction: every query in it sees the same state.
    pub async fn read<T, F>(&self, f: F) -> Result<T, RepoError>
    where
        T: Send + 'static,
        F: FnOnce(&Transaction<'_>) -> Result<T, RepoError> + Send + 'static,
    {
        let inner = Arc::clone(&self.inner);
        blocking(move || {
            let idle = inner
                .readers
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .pop();
            let mut conn = match idle {
                Some(conn) => conn,
                None => open_reader(&inner.path)?,
            };
            let result = {
                let tx = conn.transaction()?;
                f(&tx)
            };
            inner
                .readers
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .push(conn);
            result
        })
        .await
    }

    /// Runs `f` in one write transaction, committed when it returns `Ok`.
    pub async fn write<T, F>(&self, f: F) -> Result<T, RepoError>
    where
        T: Send + 'static,
        F: FnOnce(&Transaction<'_>) -> Result<T, RepoError> + Send + 'static,
    {
        let inner = Arc::clone(&self.inner);
        blocking(move || inner.writer.write(f)).await
    }
}

fn open_reader(path: &Path) -> Result<Connection, RepoError> {
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    Ok(conn)
}

async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, RepoError> + Send + 'static,
) -> Result<T, RepoError> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| RepoError::Task(e.to_string()))?
}
