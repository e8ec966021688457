-- Clients without shared secrets: with a JWT signed by one of their registered public keys
-- (RFC 7523 private_key_jwt), or with their TLS client certificate (RFC 8705, behind
-- Cloudflare API Shield mTLS). `secret_hash` then holds a hash nobody has.
ALTER TABLE clients ADD COLUMN auth_method TEXT NOT NULL DEFAULT 'client_secret'
  CHECK (auth_method IN ('client_secret', 'private_key_jwt', 'tls_client_auth',
                         'self_signed_tls_client_auth'));
ALTER TABLE clients ADD COLUMN jwks TEXT;  -- JSON array of public JWKs, each with its alg
-- tls_client_auth: the certificate's subject DN; self_signed_tls_client_auth: its SHA-256
-- fingerprint (hex).
ALTER TABLE clients ADD COLUMN tls_subject_dn TEXT;
ALTER TABLE clients ADD COLUMN tls_sha256 TEXT;

-- Client assertion IDs already used, per client, kept as long as an assertion may live (its
-- exp is at most 5 minutes ahead): a replayed assertion is refused.
CREATE TABLE client_assertions (
  client_id  TEXT NOT NULL,
  jti        TEXT NOT NULL,
  expires_at INTEGER NOT NULL,     -- unix seconds
  PRIMARY KEY (client_id, jti)
);
CREATE INDEX client_assertions_expiry ON client_assertions (expires_at);
