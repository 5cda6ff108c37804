-- The city profile as the gateway last sent it, with the checkpoint that goes with it:
-- at most one row. `profile` is the JSON the gateway sent, re-serialised.
CREATE TABLE city_profile (
    id           INTEGER PRIMARY KEY CHECK (id = 1),
    gateway      TEXT NOT NULL,
    profile      TEXT NOT NULL,
    etag         TEXT,
    last_checked INTEGER NOT NULL
) STRICT;
