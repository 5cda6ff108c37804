-- Search runs in memory now (src/search/): the FTS index is no longer read.
DROP TABLE procedure_search;

-- What search reads besides the name, folded once when a procedure is written so that
-- opening the catalog parses no records. `abbreviations` spells out the abbreviations in a
-- name with the procedure's own words ("tnld tai nan lao dong", one per line). Rows written
-- before this table existed are filled in by the app when it opens the catalog.
CREATE TABLE procedure_text (
    procedure_id  INTEGER PRIMARY KEY REFERENCES procedures (id) ON DELETE CASCADE,
    results       TEXT NOT NULL,
    documents     TEXT NOT NULL,
    agencies      TEXT NOT NULL,
    abbreviations TEXT NOT NULL,
    resident      INTEGER NOT NULL
);
