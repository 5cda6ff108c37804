-- The gateway's catalog, SQLite flavour. Keep in step with postgres_001.sql: the same
-- conformance suite runs against both.
CREATE TABLE gateway_meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;

-- One row per published version. `delta_floor`: the oldest cursor version a delta can
-- still be computed from (older tombstones have been pruned).
CREATE TABLE catalog_versions (
    version      INTEGER PRIMARY KEY,
    data_date    TEXT NOT NULL,
    published_at INTEGER NOT NULL,
    added        INTEGER NOT NULL,
    changed      INTEGER NOT NULL,
    removed      INTEGER NOT NULL,
    delta_floor  INTEGER NOT NULL
);

-- The full snapshot of the newest version, compressed once at publish time.
CREATE TABLE catalog_snapshots (
    version  INTEGER PRIMARY KEY REFERENCES catalog_versions (version),
    json_len INTEGER NOT NULL,
    gzip     BLOB NOT NULL,
    br       BLOB NOT NULL
);

-- The current record of every procedure; `record` is NULL for a withdrawn one (tombstone).
-- `version` is the version that last created, changed or withdrew it.
CREATE TABLE catalog_records (
    code    TEXT PRIMARY KEY,
    record  TEXT,
    digest  TEXT NOT NULL,
    version INTEGER NOT NULL
);
CREATE INDEX catalog_records_version ON catalog_records (version);
