-- Clients without shared secrets (RFC 7523 private_key_jwt): they authenticate with a JWT
-- signed by one of their registered public keys. `secret_hash` then holds a hash nobody has.
ALTER TABLE clients ADD COLUMN auth_method TEXT NOT NULL DEFAULT 'client_secret'
  CHECK (auth_method IN ('client_secret', 'private_key_jwt'));
ALTER TABLE clients ADD COLUMN jwks TEXT;  -- JSON array of public JWKs, each with its alg

-- Client assertion IDs already used, per client, kept as long as an assertion may live (its
-- exp is at most 5 minutes ahead): a replayed assertion is refused.
CREATE TABLE client_assertions (
  client_id  TEXT NOT NULL,
  jti        TEXT NOT NULL,
  expires_at INTEGER NOT NULL,     -- unix seconds
  PRIMARY KEY (client_id, jti)
);
CREATE INDEX client_assertions_expiry ON client_assertions (expires_at);
