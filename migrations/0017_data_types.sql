-- Data types with records (DX case model §0, §7): a class, its key field and its fields (the
-- same definitions as case types'), and its records, each a JSON object of those fields keyed by
-- the key field's value. Listed through D_<last class segment>List, written through the
-- savable data page D_<last class segment>.
CREATE TABLE data_types (
  id          TEXT PRIMARY KEY,               -- the class, e.g. Cnow-connectnow-Data-Severity
  name        TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  key_field   TEXT NOT NULL,
  fields      TEXT NOT NULL,                  -- JSON array of field definitions
  created_at  TEXT NOT NULL,
  updated_at  TEXT NOT NULL,
  version     INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE data_records (
  data_type_id TEXT NOT NULL REFERENCES data_types (id) ON DELETE CASCADE,
  key          TEXT NOT NULL,                 -- the key field's value, as text
  content      TEXT NOT NULL,                 -- JSON object of field values
  created_by   TEXT NOT NULL,
  created_at   TEXT NOT NULL,
  updated_by   TEXT NOT NULL,
  updated_at   TEXT NOT NULL,
  version      INTEGER NOT NULL DEFAULT 1,     -- the record's ETag
  PRIMARY KEY (data_type_id, key)
) WITHOUT ROWID;
