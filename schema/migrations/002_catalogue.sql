-- 002_catalogue.sql — the action plan and the communes referential, as
-- loaded by ctgd from its built-in copy of schema/catalogue/*.tsv and
-- schema/communes.tsv. One table per file, one column per TSV column;
-- ctgd replaces their content whenever the built-in data changes
-- (catalogue_meta.digest), so these tables are never edited by hand.

CREATE TABLE catalogue_meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE catalogue_axes (
    code TEXT PRIMARY KEY, number INTEGER NOT NULL, title TEXT NOT NULL
);

CREATE TABLE catalogue_objectives (
    code TEXT PRIMARY KEY, axis TEXT NOT NULL, letter TEXT NOT NULL,
    title TEXT NOT NULL
);

CREATE TABLE catalogue_sheets (
    code TEXT PRIMARY KEY, number INTEGER NOT NULL UNIQUE, axis TEXT NOT NULL,
    objective TEXT NOT NULL, title TEXT NOT NULL, pilot_elected TEXT,
    pilot_structures TEXT, partners TEXT, deadline TEXT, links TEXT,
    place_of_residents TEXT
);

CREATE TABLE catalogue_indicators (
    id TEXT PRIMARY KEY, sheet TEXT NOT NULL, ord INTEGER NOT NULL,
    kind TEXT NOT NULL, label TEXT NOT NULL
);

CREATE TABLE catalogue_measures (
    id TEXT PRIMARY KEY, measure TEXT NOT NULL, scope TEXT, filter TEXT,
    basis TEXT, target REAL, target_per TEXT, baseline REAL,
    baseline_year INTEGER, note TEXT
);

CREATE TABLE catalogue_vocabulary (
    kind TEXT NOT NULL, keyword TEXT NOT NULL, parent TEXT, label TEXT,
    PRIMARY KEY (kind, keyword)
);

CREATE TABLE catalogue_sheet_activities (
    sheet TEXT PRIMARY KEY, activities TEXT NOT NULL
);

CREATE TABLE communes (
    code TEXT PRIMARY KEY, type TEXT NOT NULL, name TEXT,
    current TEXT NOT NULL, population INTEGER, ccqb INTEGER NOT NULL
) WITHOUT ROWID;
