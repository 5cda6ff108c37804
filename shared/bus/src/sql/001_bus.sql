-- The city's timetable as received (the GTFS zip, read again into memory when needed),
-- and what the pages list without reading it: stops with their R*Tree, routes.
CREATE TABLE feed (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    zip BLOB NOT NULL,
    etag TEXT,
    gateway TEXT NOT NULL,
    received INTEGER NOT NULL,
    checked INTEGER NOT NULL,
    stops INTEGER NOT NULL,
    routes INTEGER NOT NULL,
    rejected_rows INTEGER NOT NULL
);
CREATE TABLE stops (
    number INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    -- Lower case without diacritics, for search as people type.
    folded TEXT NOT NULL,
    lat REAL NOT NULL,
    lon REAL NOT NULL,
    -- JSON array of the names of the routes calling here.
    routes TEXT NOT NULL
);
CREATE VIRTUAL TABLE stops_at USING rtree(number, south, north, west, east);
CREATE TABLE routes (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    long_name TEXT NOT NULL,
    color TEXT
) WITHOUT ROWID;
-- Live data (GTFS-Realtime message as received); replaced at each fetch.
CREATE TABLE live (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    message BLOB NOT NULL,
    etag TEXT,
    received INTEGER NOT NULL
);
-- Kept across timetables: a starred stop the new feed lacks is shown as gone, not dropped.
CREATE TABLE starred (
    kind TEXT NOT NULL CHECK (kind IN ('stop', 'route')),
    id TEXT NOT NULL,
    added INTEGER NOT NULL,
    PRIMARY KEY (kind, id)
) WITHOUT ROWID;
