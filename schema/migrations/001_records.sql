-- 001_records.sql — activity records, each revision of them, and who came.
--
-- One row of `record` per record id (the exactly-once key); the content of
-- every revision in `revision` and its child tables, so that an amended
-- record keeps its history. Ids are UUIDv7: time-ordered, so inserts stay at
-- the right edge of the B-trees.

CREATE TABLE record (
    id        BLOB PRIMARY KEY,      -- 16 bytes, client generated
    digest    BLOB NOT NULL,         -- SHA-256 of the first submitted content
    rev       INTEGER NOT NULL,      -- current revision, from 1
    voided    INTEGER NOT NULL DEFAULT 0,
    received  INTEGER NOT NULL       -- ms since 1970, server clock
) WITHOUT ROWID;

CREATE TABLE revision (
    record    BLOB NOT NULL,
    rev       INTEGER NOT NULL,
    date      TEXT NOT NULL,         -- YYYY-MM-DD
    activity  TEXT NOT NULL,
    structure TEXT NOT NULL,
    commune   TEXT NOT NULL,         -- INSEE code of the venue, as submitted
    title     TEXT,
    PRIMARY KEY (record, rev)
) WITHOUT ROWID;

CREATE TABLE revision_sheet (
    record    BLOB NOT NULL,
    rev       INTEGER NOT NULL,
    sheet     TEXT NOT NULL,         -- as submitted: III.A.17 or 17
    PRIMARY KEY (record, rev, sheet)
) WITHOUT ROWID;

CREATE TABLE revision_group (
    record    BLOB NOT NULL,
    rev       INTEGER NOT NULL,
    ord       INTEGER NOT NULL,      -- position in the record, from 0
    category  TEXT NOT NULL,
    residence TEXT NOT NULL,         -- INSEE code as submitted, '' = unknown
    count     INTEGER NOT NULL,
    person    BLOB,                  -- 32-byte pseudonymous token or NULL
    PRIMARY KEY (record, rev, ord)
) WITHOUT ROWID;

CREATE TABLE revision_partner (
    record    BLOB NOT NULL,
    rev       INTEGER NOT NULL,
    ord       INTEGER NOT NULL,
    name      TEXT NOT NULL,
    PRIMARY KEY (record, rev, ord)
) WITHOUT ROWID;
