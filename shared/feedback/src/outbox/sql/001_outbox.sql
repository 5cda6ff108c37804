-- The outbox: every report this device has written, from draft to the agency's answer.
-- A report and its photos are written here before any network call.
CREATE TABLE reports (
    id                INTEGER PRIMARY KEY,
    state             TEXT NOT NULL CHECK (state IN ('draft', 'queued', 'sent', 'needs_fix')),
    service_code      TEXT NOT NULL,
    service_name      TEXT NOT NULL,
    description       TEXT,
    lat               REAL,
    lon               REAL,
    address           TEXT,
    address_id        TEXT,
    attributes        TEXT NOT NULL,
    -- The eID subject when filed signed in; never a token.
    account_id        TEXT,
    -- Made once, when the report is written; sent with every attempt, so a retry after a
    -- lost answer (or a crash) is the same report at the back office.
    idempotency_key   TEXT NOT NULL UNIQUE,
    created_at        INTEGER NOT NULL,
    attempts          INTEGER NOT NULL DEFAULT 0,
    last_attempt_at   INTEGER,
    next_attempt_at   INTEGER,
    last_error        TEXT,
    refusal           TEXT,
    service_request_id TEXT,
    sent_at           INTEGER,
    due_at            INTEGER,
    status            TEXT,
    status_seen       TEXT,
    checked_at        INTEGER
);
CREATE INDEX reports_due ON reports (state, next_attempt_at);

CREATE TABLE photos (
    report_id  INTEGER NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,
    jpeg       BLOB NOT NULL,
    width      INTEGER NOT NULL,
    height     INTEGER NOT NULL,
    -- Set as soon as the upload is answered; a photo without one is uploaded again (the
    -- same bytes give the same address).
    media_url  TEXT,
    PRIMARY KEY (report_id, position)
);

-- The agency's updates, as published (servicerequestupdates).
CREATE TABLE updates (
    report_id        INTEGER NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
    update_id        TEXT NOT NULL,
    status           TEXT NOT NULL,
    description      TEXT,
    media_url        TEXT,
    updated_datetime TEXT,
    PRIMARY KEY (report_id, update_id)
);
