-- 004_rollups.sql — frozen monthly snapshots of every sheet's indicators.
--
-- Closing a month writes revision 1 of its rollup; a record that arrives,
-- or is amended or voided, later for a closed month marks the month dirty
-- (in the transaction that changes it), and the rollup thread then writes
-- revision n+1, marked « révisé » with what changed, when the figures
-- differ. Every revision is kept.

CREATE TABLE rollup (
    month    TEXT NOT NULL,            -- YYYY-MM
    rev      INTEGER NOT NULL,         -- from 1
    created  INTEGER NOT NULL,         -- ms since 1970, rollup clock
    digest   BLOB NOT NULL,            -- SHA-256 of the figures
    json     TEXT NOT NULL,            -- the whole rollup document
    PRIMARY KEY (month, rev)
) WITHOUT ROWID;

-- Months whose records changed since they were last rolled up.
CREATE TABLE rollup_dirty (
    month    TEXT PRIMARY KEY
) WITHOUT ROWID;
