-- 006_recent.sql — a structure's records by date, for ctg-query recent
-- (its latest records, to amend or void one without having kept its id)
-- and duplicates (records of one structure on one day). Without it both
-- would read the whole revision table on the event loop. Entries are
-- (structure, date, record, rev), about 45 bytes per revision; records
-- arrive with dates near today, so inserts stay near the right edge of
-- each structure's range.

CREATE INDEX revision_by_structure ON revision (structure, date);
