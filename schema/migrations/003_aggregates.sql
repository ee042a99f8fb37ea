-- 003_aggregates.sql — every sheet's measures, kept up to date in the
-- transaction that stores, amends or voids a record; revisions that say
-- what happened; dated evidence for qualitative indicators.
--
-- Aggregate tables share one shape: the sheet (a code, or '*' where every
-- record counts once, whatever its sheets), a period, up to four keys, and
-- n. A row whose n falls to 0 is deleted, so distinct counts are row
-- counts. Venue and residence keys are current INSEE codes of the CC's
-- communes, 'hors' (elsewhere) or 'inconnue'. `categories` is the sorted,
-- comma-joined set of a record's participant categories.

ALTER TABLE revision ADD COLUMN kind TEXT NOT NULL DEFAULT 'submit';
                                       -- submit | amend | void
ALTER TABLE revision ADD COLUMN reason TEXT;      -- why it was voided
ALTER TABLE revision ADD COLUMN received INTEGER; -- ms since 1970
ALTER TABLE revision ADD COLUMN digest BLOB;      -- content, as in record

-- n = records
CREATE TABLE agg_records (
    sheet TEXT NOT NULL, month INTEGER NOT NULL,        -- YYYYMM
    activity TEXT NOT NULL, structure TEXT NOT NULL,
    venue TEXT NOT NULL, categories TEXT NOT NULL,
    n INTEGER NOT NULL,
    PRIMARY KEY (sheet, month, activity, structure, venue, categories)
) WITHOUT ROWID;

-- n = records, per day, for cadences
CREATE TABLE agg_days (
    sheet TEXT NOT NULL, day INTEGER NOT NULL,          -- YYYYMMDD
    activity TEXT NOT NULL, structure TEXT NOT NULL,
    categories TEXT NOT NULL,
    n INTEGER NOT NULL,
    PRIMARY KEY (sheet, day, activity, structure, categories)
) WITHOUT ROWID;

-- n = participants (sum of counts)
CREATE TABLE agg_groups (
    sheet TEXT NOT NULL, month INTEGER NOT NULL,
    activity TEXT NOT NULL, structure TEXT NOT NULL,
    category TEXT NOT NULL, residence TEXT NOT NULL,
    n INTEGER NOT NULL,
    PRIMARY KEY (sheet, month, activity, structure, category, residence)
) WITHOUT ROWID;

-- n = records naming the partner
CREATE TABLE agg_partners (
    sheet TEXT NOT NULL, month INTEGER NOT NULL,
    activity TEXT NOT NULL, structure TEXT NOT NULL,
    partner TEXT NOT NULL,
    n INTEGER NOT NULL,
    PRIMARY KEY (sheet, month, activity, structure, partner)
) WITHOUT ROWID;

-- n = groups carrying the person token (hex)
CREATE TABLE agg_persons (
    sheet TEXT NOT NULL, month INTEGER NOT NULL,
    activity TEXT NOT NULL, structure TEXT NOT NULL,
    category TEXT NOT NULL, person TEXT NOT NULL,
    n INTEGER NOT NULL,
    PRIMARY KEY (sheet, month, activity, structure, category, person)
) WITHOUT ROWID;

-- Dated evidence for an indicator (qualitative ones above all).
CREATE TABLE evidence (
    id        BLOB PRIMARY KEY,            -- 16 bytes, client generated
    indicator TEXT NOT NULL,               -- III.A.17/res/2
    date      TEXT NOT NULL,               -- YYYY-MM-DD
    state     TEXT NOT NULL,               -- en cours | réalisé
    text      TEXT NOT NULL,
    reference TEXT,                        -- a document, a link
    received  INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX evidence_by_indicator ON evidence (indicator, date);
