use std::path::Path;

use civic_types::{
    catalog::Procedure,
    search::{FacetValue, Facets},
    status::{CatalogSource, CatalogStatus, Notice},
};
use rusqlite::{OptionalExtension, Transaction, params};

use crate::search::{IndexRow, SearchIndex, SearchText};
use crate::{CatalogError, MIGRATIONS, Snapshot};
use civic_db::Store;
use civic_text::fold;

/// Where the national portal shows a procedure, followed by its own id.
pub const PORTAL_PROCEDURE_URL: &str = "https://dichvucong.gov.vn/thu-tuc-hanh-chinh/";

/// The offline catalog: one SQLite connection (one writer), WAL.
#[derive(Debug)]
pub struct CatalogStore {
    pub(super) db: Store,
    /// Derived from `procedures` and `procedure_text`; rebuilt whenever the catalog changes.
    pub(super) index: SearchIndex,
}

/// A store and anything the user must be told about how it was opened.
#[derive(Debug)]
pub struct Opened {
    pub store: CatalogStore,
    pub notices: Vec<Notice>,
}

pub(super) const META_DATA_DATE: &str = "data_date";
const META_SOURCE: &str = "source";

impl CatalogStore {
    /// Opens the catalog at `path`. A damaged file is moved aside (kept for support, never
    /// deleted) and rebuilt from the bundled snapshot; a file from a newer app is refused.
    pub fn open(path: &Path) -> Result<Opened, CatalogError> {
        let mut notices = Vec::new();
        let renewed = Store::open_or_renew(MIGRATIONS, path)?;
        if let Some(aside) = &renewed.damaged_kept_at {
            tracing::warn!(aside = %aside.display(), "catalog damaged; rebuilding from the bundled snapshot");
            notices.push(Notice::CatalogRebuilt);
        }
        let mut store = Self {
            db: renewed.store,
            index: SearchIndex::default(),
        };
        store.load_bundled_if_newer()?;
        store.fill_search_text()?;
        store.reindex()?;
        Ok(Opened { store, notices })
    }

    /// An in-memory catalog holding `snapshot`: for tests and benchmarks.
    pub fn in_memory(snapshot: &Snapshot) -> Result<Self, CatalogError> {
        let mut store = Self {
            db: Store::in_memory(MIGRATIONS)?,
            index: SearchIndex::default(),
        };
        let tx = store.db.conn_mut().transaction()?;
        replace_all(&tx, snapshot, CatalogSource::Bundled)?;
        tx.commit()?;
        store.reindex()?;
        Ok(store)
    }

    /// Rebuilds the in-memory search index from the stored catalog.
    pub(super) fn reindex(&mut self) -> Result<(), CatalogError> {
        let conn = self.db.conn();
        let mut stmt = conn.prepare(
            "SELECT p.id, p.name, t.results, t.documents, t.agencies, t.abbreviations, t.resident \
             FROM procedures p JOIN procedure_text t ON t.procedure_id = p.id ORDER BY p.id",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(IndexRow {
                row_id: r.get(0)?,
                name: r.get(1)?,
                results: r.get(2)?,
                documents: r.get(3)?,
                agencies: r.get(4)?,
                abbreviations: r.get(5)?,
                for_citizens: r.get(6)?,
            })
        })?;
        let rows: Vec<IndexRow> = rows.collect::<Result<_, _>>()?;
        drop(stmt);
        drop(conn);
        self.index = SearchIndex::build(rows);
        Ok(())
    }

    /// The size of the search index in memory, in bytes (an estimate, for benchmarks).
    pub fn search_index_bytes(&self) -> usize {
        self.index.heap_bytes()
    }

    /// Folds the search text of procedures written before `procedure_text` existed (a catalog
    /// from an older app version), once.
    fn fill_search_text(&mut self) -> Result<(), CatalogError> {
        let missing: Vec<(i64, String)> = {
            let conn = self.db.conn();
            let mut stmt = conn.prepare(
                "SELECT id, record FROM procedures WHERE id NOT IN (SELECT procedure_id FROM procedure_text)",
            )?;
            let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
            rows.collect::<Result<_, _>>()?
        };
        if missing.is_empty() {
            return Ok(());
        }
        let tx = self.db.conn_mut().transaction()?;
        for (id, record) in missing {
            let procedure: Procedure = serde_json::from_str(&record)?;
            insert_search_text(&tx, id, &SearchText::of(&procedure))?;
        }
        tx.commit()?;
        Ok(())
    }

    /// Loads the bundled snapshot into an empty catalog, or over bundled data that an app
    /// update has made older than the snapshot now shipped.
    fn load_bundled_if_newer(&mut self) -> Result<(), CatalogError> {
        let stored = self.meta(META_DATA_DATE)?;
        let source = self.meta(META_SOURCE)?;
        let stale = match (&stored, source.as_deref()) {
            (None, _) => true,
            (Some(date), Some("bundled")) => *date < Snapshot::bundled_data_date()?,
            (Some(_), _) => false,
        };
        if stale {
            let bundled = Snapshot::bundled()?;
            let tx = self.db.conn_mut().transaction()?;
            replace_all(&tx, &bundled, CatalogSource::Bundled)?;
            tx.commit()?;
        }
        Ok(())
    }

    pub(super) fn meta(&self, key: &str) -> Result<Option<String>, CatalogError> {
        Ok(self
            .db
            .conn()
            .query_row(
                "SELECT value FROM catalog_meta WHERE key = ?1",
                [key],
                |r| r.get(0),
            )
            .optional()?)
    }

    pub fn get(&self, code: &str) -> Result<Option<Procedure>, CatalogError> {
        let record: Option<String> = self
            .db
            .conn()
            .query_row(
                "SELECT record FROM procedures WHERE code = ?1",
                [code.trim()],
                |r| r.get(0),
            )
            .optional()?;
        Ok(record.map(|json| serde_json::from_str(&json)).transpose()?)
    }

    /// The code of the procedure the national portal shows at `/thu-tuc-hanh-chinh/<id>`.
    pub fn code_for_portal_id(&self, id: &str) -> Result<Option<String>, CatalogError> {
        let url = format!("{PORTAL_PROCEDURE_URL}{}", id.to_ascii_lowercase());
        Ok(self
            .db
            .conn()
            .query_row(
                "SELECT code FROM procedures WHERE json_extract(record, '$.portal_url') = ?1",
                [url],
                |r| r.get(0),
            )
            .optional()?)
    }

    pub fn status(&self) -> Result<CatalogStatus, CatalogError> {
        let procedures: u32 =
            self.db
                .conn()
                .query_row("SELECT count(*) FROM procedures", [], |r| r.get(0))?;
        let source = match self.meta(META_SOURCE)?.as_deref() {
            Some("synced") => CatalogSource::Synced,
            _ => CatalogSource::Bundled,
        };
        Ok(CatalogStatus {
            procedures,
            source,
            data_date: self.meta(META_DATA_DATE)?.unwrap_or_default(),
        })
    }

    pub fn facets(&self) -> Result<Facets, CatalogError> {
        let values = |sql: &str| -> Result<Vec<FacetValue>, CatalogError> {
            let conn = self.db.conn();
            let mut stmt = conn.prepare(sql)?;
            let rows = stmt.query_map([], |r| {
                Ok(FacetValue {
                    value: r.get(0)?,
                    count: r.get(1)?,
                })
            })?;
            Ok(rows.collect::<Result<_, _>>()?)
        };
        Ok(Facets {
            fields: values("SELECT field, count(*) FROM procedures GROUP BY field ORDER BY field")?,
            levels: values(
                "SELECT level, count(*) FROM procedure_levels GROUP BY level ORDER BY level",
            )?,
            agencies: values(
                "SELECT agency, count(*) AS n FROM procedure_agencies GROUP BY agency ORDER BY n DESC, agency",
            )?,
        })
    }
}

/// Replaces the whole catalog with `snapshot` inside the caller's transaction.
pub fn replace_all(
    tx: &Transaction<'_>,
    snapshot: &Snapshot,
    source: CatalogSource,
) -> Result<(), CatalogError> {
    tx.execute("DELETE FROM procedures", [])?;
    for procedure in &snapshot.procedures {
        insert_procedure(tx, procedure)?;
    }
    set_meta(tx, META_DATA_DATE, &snapshot.data_date)?;
    set_source(tx, source)
}

/// Records where the catalog's data came from (read back by [`CatalogStore::status`]).
pub(super) fn set_source(tx: &Transaction<'_>, source: CatalogSource) -> Result<(), CatalogError> {
    let tag = match source {
        CatalogSource::Bundled => "bundled",
        CatalogSource::Synced => "synced",
    };
    set_meta(tx, META_SOURCE, tag)
}

pub(super) fn set_meta(tx: &Transaction<'_>, key: &str, value: &str) -> Result<(), CatalogError> {
    tx.prepare_cached("INSERT OR REPLACE INTO catalog_meta (key, value) VALUES (?1, ?2)")?
        .execute([key, value])?;
    Ok(())
}

pub fn insert_procedure(tx: &Transaction<'_>, procedure: &Procedure) -> Result<(), CatalogError> {
    let name_folded = fold(&procedure.name);
    tx.prepare_cached(
        "INSERT INTO procedures (code, name, name_folded, field, record) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![
        procedure.code,
        procedure.name,
        name_folded,
        procedure.field,
        serde_json::to_string(procedure)?
    ])?;
    let id = tx.last_insert_rowid();
    let mut level = tx.prepare_cached(
        "INSERT OR IGNORE INTO procedure_levels (procedure_id, level) VALUES (?1, ?2)",
    )?;
    for name in &procedure.levels {
        level.execute(params![id, name])?;
    }
    let mut agency = tx.prepare_cached(
        "INSERT OR IGNORE INTO procedure_agencies (procedure_id, agency) VALUES (?1, ?2)",
    )?;
    for name in procedure.agencies.all() {
        agency.execute(params![id, name])?;
    }
    insert_search_text(tx, id, &SearchText::of(procedure))
}

fn insert_search_text(
    tx: &Transaction<'_>,
    id: i64,
    text: &SearchText,
) -> Result<(), CatalogError> {
    tx.prepare_cached(
        "INSERT OR REPLACE INTO procedure_text (procedure_id, results, documents, agencies, abbreviations, resident) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![
        id,
        text.results,
        text.documents,
        text.agencies,
        text.abbreviations,
        text.for_citizens
    ])?;
    Ok(())
}
