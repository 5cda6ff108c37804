-- The gateway's catalog, PostgreSQL flavour. Keep in step with sqlite_001.sql.
CREATE TABLE gateway_meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE catalog_versions (
    version      BIGINT PRIMARY KEY,
    data_date    TEXT NOT NULL,
    published_at BIGINT NOT NULL,
    added        BIGINT NOT NULL,
    changed      BIGINT NOT NULL,
    removed      BIGINT NOT NULL,
    delta_floor  BIGINT NOT NULL
);

CREATE TABLE catalog_snapshots (
    version  BIGINT PRIMARY KEY REFERENCES catalog_versions (version),
    json_len BIGINT NOT NULL,
    gzip     BYTEA NOT NULL,
    br       BYTEA NOT NULL
);

CREATE TABLE catalog_records (
    code    TEXT PRIMARY KEY,
    record  TEXT,
    digest  TEXT NOT NULL,
    version BIGINT NOT NULL
);
CREATE INDEX catalog_records_version ON catalog_records (version);
