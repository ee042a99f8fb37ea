-- 005_tokens.sql — access tokens. A token is 256 random bits shown once
-- at creation; only its SHA-256 is kept. Each has one role, and a
-- submitter's the structures whose records it may write.

CREATE TABLE token (
    id         INTEGER PRIMARY KEY,
    hash       BLOB NOT NULL UNIQUE,     -- SHA-256 of the secret
    role       TEXT NOT NULL,            -- submitter | coordinator | admin
    structures TEXT NOT NULL DEFAULT '', -- submitter: comma-separated
    label      TEXT,
    created    INTEGER NOT NULL,         -- ms since 1970
    revoked    INTEGER                   -- ms since 1970; NULL: valid
);
