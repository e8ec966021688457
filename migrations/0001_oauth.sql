-- Operators: the identity a client acts as (Pega: an operator with a least-privilege access group).
CREATE TABLE operators (
  id                TEXT PRIMARY KEY,
  name              TEXT NOT NULL,
  access_group_name TEXT NOT NULL,
  privileges        TEXT NOT NULL,            -- JSON array of scope names
  case_types        TEXT NOT NULL,            -- JSON array of case type IDs, or ["*"]
  case_visibility   TEXT NOT NULL CHECK (case_visibility IN ('own', 'all')),
  created_at        TEXT NOT NULL,
  updated_at        TEXT NOT NULL
);

-- Client registrations. The secret is stored only as a SHA-256 hash (hex).
-- token_generation is raised by secret regeneration and revoke-tokens: a token whose
-- KV record carries an older generation is dead even where KV has not caught up yet.
CREATE TABLE clients (
  id                     TEXT PRIMARY KEY,
  name                   TEXT NOT NULL,
  description            TEXT NOT NULL DEFAULT '',
  operator_id            TEXT NOT NULL REFERENCES operators (id),
  access_token_lifetime  INTEGER NOT NULL CHECK (access_token_lifetime BETWEEN 60 AND 86400),
  scopes                 TEXT NOT NULL,       -- JSON array of scope names
  enabled                INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
  secret_hash            TEXT NOT NULL,
  token_generation       INTEGER NOT NULL DEFAULT 0,
  secret_updated_at      TEXT NOT NULL,
  created_at             TEXT NOT NULL,
  updated_at             TEXT NOT NULL
);
CREATE INDEX clients_operator ON clients (operator_id);

-- Every admin change, written in the same D1 batch as the change itself. Never a secret.
CREATE TABLE audit_log (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  at          TEXT NOT NULL,
  actor       TEXT NOT NULL,
  action      TEXT NOT NULL,
  target_type TEXT NOT NULL,
  target_id   TEXT NOT NULL,
  detail      TEXT NOT NULL DEFAULT '{}'     -- JSON object
);
