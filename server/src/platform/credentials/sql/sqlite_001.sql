-- The gateway's credentials, SQLite flavour (its own file, `<gateway>.credentials.sqlite3`).
-- Keep in step with postgres_001.sql. Only each secret's SHA-256 is kept; `kind` names the
-- use (a posting app, a staff member, a car-park operator …), declared by the feature.
CREATE TABLE credentials (
    digest     TEXT PRIMARY KEY,
    kind       TEXT NOT NULL,
    name       TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    revoked_at INTEGER
);
CREATE INDEX credentials_by_name ON credentials (kind, name);
