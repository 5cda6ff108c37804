-- Procedures as the app reads them: the full record as JSON, plus the columns search and
-- filters need. Folded text lives only in the FTS index.
CREATE TABLE procedures (
    id          INTEGER PRIMARY KEY,
    code        TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    name_folded TEXT NOT NULL,
    field       TEXT NOT NULL,
    record      TEXT NOT NULL
);
CREATE INDEX procedures_field ON procedures (field);

CREATE TABLE procedure_levels (
    procedure_id INTEGER NOT NULL REFERENCES procedures (id) ON DELETE CASCADE,
    level        TEXT NOT NULL,
    PRIMARY KEY (procedure_id, level)
) WITHOUT ROWID;
CREATE INDEX procedure_levels_level ON procedure_levels (level);

CREATE TABLE procedure_agencies (
    procedure_id INTEGER NOT NULL REFERENCES procedures (id) ON DELETE CASCADE,
    agency       TEXT NOT NULL,
    PRIMARY KEY (procedure_id, agency)
) WITHOUT ROWID;
CREATE INDEX procedure_agencies_agency ON procedure_agencies (agency);

-- rowid = procedures.id. Contentless: the folded text is only ever matched, never shown.
CREATE VIRTUAL TABLE procedure_search USING fts5 (
    name, body,
    content = '',
    contentless_delete = 1,
    tokenize = 'unicode61 remove_diacritics 0',
    prefix = '1 2 3'
);

CREATE TABLE catalog_meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;

-- Names weigh ten times the body in the FTS ranking.
INSERT INTO procedure_search (procedure_search, rank) VALUES ('rank', 'bm25(10.0, 1.0)');
