-- Tokens revoked one by one (RFC 7009), until they expire. KV deletions take up to ~60 s to
-- reach other locations; this row is read in the D1 batch every bearer check already makes,
-- so a revoked token is refused everywhere at once.
CREATE TABLE revoked_tokens (
  jti        TEXT PRIMARY KEY,
  client_id  TEXT NOT NULL,
  expires_at INTEGER NOT NULL      -- unix seconds: the token's exp; the row goes after it
);
CREATE INDEX revoked_tokens_expiry ON revoked_tokens (expires_at);
