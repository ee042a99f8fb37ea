-- 007_cells.sql — the aggregates as the read model's cells: one row per
-- slot (a sheet, '*' for every record, or the id of the first indicator
-- that counts a filtered slot) and month, holding that month's marginals
-- (records, participants, by category, residence, activity, venue,
-- partner, day; on '*' the pairs the commune view and completeness need)
-- packed in one blob, instead of one row per record and key of the
-- cross-product tables of 003, which go. Words in the blobs are ids of
-- agg_word, which never change. Distinct persons stay in agg_persons, one
-- row per member and month. Forgetting the catalogue's digest makes the next start load it
-- again and rebuild every cell from the records, with its progress in
-- the log.

DROP TABLE agg_records;
DROP TABLE agg_days;
DROP TABLE agg_groups;
DROP TABLE agg_partners;

CREATE TABLE agg_word (
    id    INTEGER PRIMARY KEY,        -- from 0, in the order first seen
    word  TEXT NOT NULL UNIQUE
);

CREATE TABLE agg_cell (
    slot  TEXT NOT NULL,              -- III.A.17, *, or III.A.17/res/1
    month INTEGER NOT NULL,           -- YYYYMM
    data  BLOB NOT NULL,              -- the packed sums
    PRIMARY KEY (slot, month)
) WITHOUT ROWID;

-- What each recent commit changed in the cells, one row per commit: a
-- commit writes the few entries it changed instead of rewriting whole
-- cells; every 256 commits (or 4 MB of such rows) they are folded into
-- agg_cell in one go. The stored figures are agg_cell plus every row
-- here.
CREATE TABLE agg_delta (
    seq   INTEGER PRIMARY KEY,        -- in commit order
    data  BLOB NOT NULL               -- for each cell: slot NUL, month and
                                      -- length (4 bytes each, little
                                      -- endian), the changes packed
);


DELETE FROM catalogue_meta WHERE key = 'digest';
