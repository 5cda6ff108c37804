-- The gateway's parking data, SQLite flavour. Keep in step with postgres_001.sql.
-- Times are Unix seconds; amounts whole đồng.
CREATE TABLE parking_lots (
    id        TEXT PRIMARY KEY,
    name      TEXT NOT NULL,
    lat       REAL NOT NULL,
    lon       REAL NOT NULL,
    kinds     TEXT NOT NULL,           -- comma-separated vehicle kinds
    capacity  INTEGER NOT NULL,
    free      INTEGER,                 -- NULL: the operator has not said
    state     TEXT NOT NULL,
    tariff    TEXT,
    hours     TEXT NOT NULL,
    updated   INTEGER NOT NULL
);
CREATE INDEX parking_lots_place ON parking_lots (lat, lon);

CREATE TABLE parking_sessions (
    id          TEXT PRIMARY KEY,
    plate_key   TEXT NOT NULL,
    plate       TEXT NOT NULL,
    kind        TEXT NOT NULL,
    zone        TEXT NOT NULL,
    starts_at   INTEGER NOT NULL,
    ends_at     INTEGER NOT NULL,
    stopped_at  INTEGER,
    fee         INTEGER NOT NULL,
    reference   TEXT NOT NULL UNIQUE,
    received    INTEGER NOT NULL DEFAULT 0,
    payment     TEXT NOT NULL,
    updated_at  INTEGER NOT NULL
);
CREATE INDEX parking_sessions_plate ON parking_sessions (plate_key, zone, starts_at);
CREATE INDEX parking_sessions_start ON parking_sessions (starts_at);

-- Every transfer the bank reported, once each; session_id NULL: unmatched.
CREATE TABLE parking_transfers (
    id           TEXT PRIMARY KEY,
    amount       INTEGER NOT NULL,
    description  TEXT NOT NULL,
    booked_at    INTEGER NOT NULL,
    session_id   TEXT REFERENCES parking_sessions (id),
    received_at  INTEGER NOT NULL
);
CREATE INDEX parking_transfers_booked ON parking_transfers (booked_at);

-- Signatures of payment notices already taken, kept while their timestamp is in the window:
-- the same signed request again is a replay.
CREATE TABLE parking_signatures (
    signature  TEXT PRIMARY KEY,
    at         INTEGER NOT NULL
);
