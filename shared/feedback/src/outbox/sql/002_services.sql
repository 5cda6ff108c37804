-- The kinds of report the city takes and their forms, kept so a report can be written
-- (and checked) with no network.
CREATE TABLE services (
    code       TEXT PRIMARY KEY,
    position   INTEGER NOT NULL,
    service    TEXT NOT NULL,
    definition TEXT
);

-- Where they came from and when: another endpoint's services are fetched afresh.
CREATE TABLE services_source (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    endpoint   TEXT NOT NULL,
    fetched_at INTEGER NOT NULL
);
