/**
 * Per-client token counts per clock hour. One statement both checks and counts, so concurrent
 * requests can never push a client past its quota.
 */

/**
 * What the counting statement can check of a request's credentials itself: a secret's hash, a
 * TLS client certificate, or nothing (`authenticated`: the Worker has already verified a
 * client assertion, which SQL cannot). Only a request whose credentials hold is ever counted,
 * so credentials nobody holds never spend a client's quota.
 */
export type QuotaCredential =
  | { secretHash: string }
  | { certificate: { sha256: string; subjectDn: string; verified: boolean } }
  | { authenticated: true };

/**
 * Counts one token for client `clientId` in the window starting at `windowStart`: only if the
 * client exists, is enabled, has a quota, and `credential` is its own (the secret's hash its
 * current one, or its previous one in grace; the certificate its registered one; or already
 * verified). Returns `issued` when counted; no row when over the quota, or not counted at all.
 */
export function countIssuedTokenStatement(
  db: D1Database,
  clientId: string,
  credential: QuotaCredential,
  windowStart: number,
  nowIso: string,
) {
  const secretHash = 'secretHash' in credential ? credential.secretHash : null;
  const certificate = 'certificate' in credential ? credential.certificate : null;
  return db
    .prepare(
      `INSERT INTO token_quota (client_id, window_start, issued)
       SELECT ?1, ?2, 1 FROM clients c
       WHERE c.id = ?1 AND c.enabled = 1 AND c.tokens_per_hour IS NOT NULL
         AND ((c.auth_method = 'client_secret' AND (c.secret_hash = ?3
               OR (c.previous_secret_hash = ?3 AND c.previous_secret_expires_at > ?4)))
           OR (c.auth_method = 'self_signed_tls_client_auth' AND c.tls_sha256 = ?5)
           OR (c.auth_method = 'tls_client_auth' AND ?6 = 1 AND c.tls_subject_dn = ?7)
           OR ?8 = 1)
       ON CONFLICT (client_id) DO UPDATE SET
         issued = CASE WHEN window_start = ?2 THEN issued + 1 ELSE 1 END,
         window_start = ?2
       WHERE window_start <> ?2
         OR issued < (SELECT tokens_per_hour FROM clients WHERE id = ?1)
       RETURNING issued`,
    )
    .bind(
      clientId,
      windowStart,
      secretHash,
      nowIso,
      certificate?.sha256 ?? null,
      certificate?.verified ? 1 : 0,
      certificate?.subjectDn ?? null,
      'authenticated' in credential ? 1 : 0,
    );
}

/** Gives back a count whose token was never handed out. */
export async function uncountIssuedToken(db: D1Database, clientId: string, windowStart: number) {
  await db
    .prepare(
      `UPDATE token_quota SET issued = issued - 1
       WHERE client_id = ? AND window_start = ? AND issued > 0`,
    )
    .bind(clientId, windowStart)
    .run();
}
