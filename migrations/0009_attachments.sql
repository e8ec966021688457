-- Case attachments: the bytes live in R2 (binding ATTACHMENTS, key `attachments/<id>`), the
-- records here, for both APIs. An upload is temporary (case_id NULL, expires_at set) and only
-- its uploader may use it, until a case links it; the scheduled cleanup removes expired
-- temporaries, object and record. URL attachments have a record and no object.
CREATE TABLE attachments (
  id                TEXT PRIMARY KEY,               -- random, opaque
  case_id           TEXT REFERENCES cases (id),     -- NULL while temporary
  type              TEXT NOT NULL CHECK (type IN ('FILE', 'URL')),
  category          TEXT NOT NULL,
  name              TEXT NOT NULL,                  -- the name shown (a file's without extension)
  extension         TEXT NOT NULL DEFAULT '',
  mime_type         TEXT NOT NULL DEFAULT '',       -- as the uploader declared it: metadata only
  size              INTEGER NOT NULL DEFAULT 0,     -- bytes
  url               TEXT,                           -- URL attachments
  created_by        TEXT NOT NULL,                  -- operator ID
  created_by_client TEXT NOT NULL,
  created_at        TEXT NOT NULL,
  expires_at        TEXT                            -- temporary uploads only
);
CREATE INDEX attachments_case ON attachments (case_id, created_at) WHERE case_id IS NOT NULL;
CREATE INDEX attachments_expiry ON attachments (expires_at) WHERE case_id IS NULL;

-- Case list data views read the newest cases of one type first.
CREATE INDEX cases_type ON cases (case_type_id, seq);
