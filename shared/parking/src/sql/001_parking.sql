-- Parking on the device: the city's car parks as last received, and the resident's
-- sessions, written here first and sent to the gateway in the sync rounds.
CREATE TABLE lots (
    id    TEXT PRIMARY KEY,
    lat   REAL NOT NULL,
    lon   REAL NOT NULL,
    json  TEXT NOT NULL
);
CREATE INDEX lots_place ON lots (lat, lon);

-- One row: when the gateway last gave or confirmed the list, and its ETag for the next ask.
CREATE TABLE lots_fetched (
    id       INTEGER PRIMARY KEY CHECK (id = 1),
    fetched  INTEGER NOT NULL,
    etag     TEXT
);

CREATE TABLE sessions (
    id          TEXT PRIMARY KEY,
    plate_key   TEXT NOT NULL,
    zone        TEXT NOT NULL,
    starts_at   INTEGER NOT NULL,
    json        TEXT NOT NULL,       -- the Session as the pages show it
    dirty       INTEGER NOT NULL,    -- 1: changed here, not yet sent
    reminded    INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX sessions_plate ON sessions (plate_key, zone);
CREATE INDEX sessions_start ON sessions (starts_at);
