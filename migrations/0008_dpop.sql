-- DPoP (RFC 9449): a client may be required to bind its tokens to a key.
ALTER TABLE clients ADD COLUMN dpop_bound INTEGER NOT NULL DEFAULT 0 CHECK (dpop_bound IN (0, 1));

-- DPoP proof IDs already used, per key (its RFC 7638 thumbprint), kept as long as a proof
-- is accepted: a replayed proof is refused, at every location (D1 is global).
CREATE TABLE dpop_proofs (
  jkt        TEXT NOT NULL,
  jti        TEXT NOT NULL,
  expires_at INTEGER NOT NULL,     -- unix seconds
  PRIMARY KEY (jkt, jti)
);
CREATE INDEX dpop_proofs_expiry ON dpop_proofs (expires_at);
