-- Case types: the class, its ID prefix, starting processes and the fields `content` is
-- validated against (JSON, see src/domain/case-types.ts).
CREATE TABLE case_types (
  id                   TEXT PRIMARY KEY,     -- the class, e.g. Cnow-connectnow-Work-CityServicesRequest
  name                 TEXT NOT NULL,
  id_prefix            TEXT NOT NULL,        -- e.g. R-
  starting_processes   TEXT NOT NULL,        -- JSON array of {ID, name}
  fields               TEXT NOT NULL,        -- JSON array of field definitions
  created_at           TEXT NOT NULL,
  updated_at           TEXT NOT NULL
);

-- The last number handed out per ID prefix. Advanced in the same batch as the case insert.
CREATE TABLE case_counters (
  prefix TEXT PRIMARY KEY,
  last   INTEGER NOT NULL
);

CREATE TABLE cases (
  seq              INTEGER PRIMARY KEY AUTOINCREMENT,  -- creation order: list order and cursor
  id               TEXT NOT NULL UNIQUE,               -- CNOW-CONNECTNOW-WORK R-1001
  case_type_id     TEXT NOT NULL REFERENCES case_types (id),
  status           TEXT NOT NULL,
  urgency          INTEGER NOT NULL DEFAULT 10,
  content          TEXT NOT NULL,                      -- JSON object of field values
  parent_case_id   TEXT REFERENCES cases (id),
  created_by       TEXT NOT NULL,                      -- operator ID
  created_by_client TEXT NOT NULL,                     -- client ID
  owner            TEXT NOT NULL,                      -- operator ID
  last_updated_by  TEXT NOT NULL,
  created_at       TEXT NOT NULL,
  updated_at       TEXT NOT NULL,
  version          INTEGER NOT NULL DEFAULT 1          -- the ETag
);
CREATE INDEX cases_created_by ON cases (created_by, seq);

-- Idempotency-Key on POST /cases, scoped to the client; replayed for 24 hours.
CREATE TABLE idempotency_keys (
  client_id   TEXT NOT NULL,
  key         TEXT NOT NULL,
  fingerprint TEXT NOT NULL,                            -- SHA-256 of the request body
  case_id     TEXT NOT NULL,
  process_id  TEXT NOT NULL,
  created_at  TEXT NOT NULL,
  PRIMARY KEY (client_id, key)
);
