-- The gateway's feedback reports, SQLite flavour. Keep in step with postgres_001.sql.
-- Times are Unix seconds; statuses the extended ones (open, investigating, …, closed).
CREATE TABLE feedback_reports (
    id            INTEGER PRIMARY KEY,
    service_code  TEXT NOT NULL,
    status        TEXT NOT NULL,
    status_notes  TEXT,
    description   TEXT,
    address       TEXT,
    address_id    TEXT,
    lat           REAL,
    lon           REAL,
    media_urls    TEXT NOT NULL,
    attributes    TEXT NOT NULL,
    account_id    TEXT,
    client        TEXT NOT NULL,
    requested_at  INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL,
    expected_at   INTEGER NOT NULL
);
CREATE INDEX feedback_reports_requested ON feedback_reports (requested_at);
CREATE INDEX feedback_reports_place ON feedback_reports (service_code, lat, lon);
CREATE INDEX feedback_reports_account ON feedback_reports (account_id) WHERE account_id IS NOT NULL;

-- One row per (posting app, Idempotency-Key): the same key again answers the same report.
CREATE TABLE feedback_idempotency (
    client      TEXT NOT NULL,
    key         TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    report_id   INTEGER REFERENCES feedback_reports (id),
    created_at  INTEGER NOT NULL,
    PRIMARY KEY (client, key)
);

CREATE TABLE feedback_updates (
    id          INTEGER PRIMARY KEY,
    report_id   INTEGER NOT NULL REFERENCES feedback_reports (id),
    status      TEXT NOT NULL,
    description TEXT,
    media_url   TEXT,
    staff       TEXT NOT NULL,
    updated_at  INTEGER NOT NULL
);
CREATE INDEX feedback_updates_time ON feedback_updates (updated_at);
CREATE INDEX feedback_updates_report ON feedback_updates (report_id);

-- Photos as uploaded after re-encoding, named by the SHA-256 of what is served.
CREATE TABLE feedback_media (
    id           TEXT PRIMARY KEY,
    content_type TEXT NOT NULL,
    bytes        BLOB NOT NULL,
    client       TEXT NOT NULL,
    created_at   INTEGER NOT NULL
);

-- API keys of posting apps and staff tokens: only their SHA-256 is kept.
CREATE TABLE feedback_credentials (
    digest     TEXT PRIMARY KEY,
    kind       TEXT NOT NULL,
    name       TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    revoked_at INTEGER
);
