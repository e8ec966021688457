-- Failed client authentications per key (`client:<id>`, `ip:<address>`) in fixed windows.
-- Past the limit, every authentication for that key is refused until the window ends.
CREATE TABLE auth_failures (
  key          TEXT PRIMARY KEY,
  window_start INTEGER NOT NULL,   -- unix seconds
  failures     INTEGER NOT NULL
);

-- Tokens issued per client per clock hour, for clients with a tokensPerHour quota.
CREATE TABLE token_quota (
  client_id    TEXT PRIMARY KEY,
  window_start INTEGER NOT NULL,   -- unix seconds, a multiple of 3600
  issued       INTEGER NOT NULL
);

-- Optional per-client quota; NULL = unlimited.
ALTER TABLE clients ADD COLUMN tokens_per_hour INTEGER CHECK (tokens_per_hour IS NULL OR tokens_per_hour > 0);

-- Secret rotation with grace: the previous secret's hash stays valid until this time.
ALTER TABLE clients ADD COLUMN previous_secret_hash TEXT;
ALTER TABLE clients ADD COLUMN previous_secret_expires_at TEXT;
