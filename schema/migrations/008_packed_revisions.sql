-- 008_packed_revisions.sql — one row per revision: its sheets, groups and
-- partners packed into the revision row instead of a row each in three
-- tables (a record cost nine B-tree insertions, it now costs two and the
-- structure index). Fields are separated by the unit separator (31),
-- groups by the record separator (30); neither can occur in a value (the
-- protocol and the importer refuse control characters).
--   sheets        III.A.17<31>III.A.19          codes, in the plan's order
--   groups        jeune<31>46201<31>5<31><30>…  category, residence as
--                                               submitted ('' unknown),
--                                               count, person token in hex
--                                               ('' none), in order
--   partners      Mairie de Montcuq<31>…        in order
--   participants  the sum of the groups' counts, for the lists of records

ALTER TABLE revision ADD COLUMN sheets TEXT NOT NULL DEFAULT '';
ALTER TABLE revision ADD COLUMN groups TEXT NOT NULL DEFAULT '';
ALTER TABLE revision ADD COLUMN partners TEXT NOT NULL DEFAULT '';
ALTER TABLE revision ADD COLUMN participants INTEGER NOT NULL DEFAULT 0;

UPDATE revision SET
    sheets = coalesce((SELECT group_concat(sheet, char(31)) FROM (SELECT
        sheet FROM revision_sheet s WHERE s.record = revision.record AND
        s.rev = revision.rev ORDER BY sheet)), ''),
    groups = coalesce((SELECT group_concat(g, char(30)) FROM (SELECT
        category || char(31) || residence || char(31) || count || char(31)
        || coalesce(lower(hex(person)), '') AS g FROM revision_group g
        WHERE g.record = revision.record AND g.rev = revision.rev
        ORDER BY ord)), ''),
    partners = coalesce((SELECT group_concat(name, char(31)) FROM (SELECT
        name FROM revision_partner p WHERE p.record = revision.record AND
        p.rev = revision.rev ORDER BY ord)), ''),
    participants = coalesce((SELECT sum(count) FROM revision_group g
        WHERE g.record = revision.record AND g.rev = revision.rev), 0);

DROP TABLE revision_sheet;
DROP TABLE revision_group;
DROP TABLE revision_partner;
