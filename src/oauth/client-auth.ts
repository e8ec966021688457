import { type ClientJwk, verifyClientAssertion } from '../crypto/client-keys';
import { hashMatches, hashSecret, UNMATCHABLE_SECRET_HASH } from '../crypto/secrets';
import {
  type ClientCredentialsRecord,
  clientAssertionRead,
  clientToAuthenticateRead,
  previousSecretInGrace,
} from '../domain/clients';
import { allReads, nothing, type Reads, runReads } from '../domain/reads';
import {
  countFailure,
  failureCountsColumn,
  failureCountsFrom,
  type ThrottleKey,
} from '../domain/throttle';
import { AppError, invalidClient } from '../errors';
import { clientAddressKey } from '../http/client-address';
import { type ClientCertificate, clientCertificateOf } from '../http/client-certificate';
import { type AppContext, issuerOf } from '../http/context';
import type { QuotaCredential } from '../store/token-quota';
import { type PresentedCredentials, presentedCredentials } from './client-credentials';
import { oauthEndpoints } from './endpoints';

/** Brute-force throttling: failed authentications allowed per window, per client ID and per IP. */
export const FAILED_AUTH_WINDOW_SECONDS = 300;
export const FAILED_AUTH_LIMIT_PER_CLIENT = 10;
export const FAILED_AUTH_LIMIT_PER_IP = 50;

/** The same answer whether the client ID or the address is over its limit, whoever asks. */
const tooManyFailures = (retryAfterSeconds: number) =>
  new AppError(
    429,
    'too_many_requests',
    'Too many failed client authentications. Retry after the time in Retry-After.',
    { headers: { 'Retry-After': String(Math.max(1, retryAfterSeconds)) } },
  );

function throttleKeys(clientId: string, address: string | undefined): ThrottleKey[] {
  const keys = [{ key: `client:${clientId}`, limit: FAILED_AUTH_LIMIT_PER_CLIENT }];
  if (address) keys.push({ key: `ip:${address}`, limit: FAILED_AUTH_LIMIT_PER_IP });
  return keys;
}

/** What rides in the authentication batch learns of the presented credentials. */
export interface Presented {
  clientId: string;
  /**
   * The credentials as SQL can check them (a secret's hash, a certificate); null for a client
   * assertion, which only the Worker can verify, after the batch.
   */
  credential: QuotaCredential | null;
}

/** Whether a secret matches the client's current one, or its previous one in grace. */
/** The presented secret's hash (hashed once per request) against the current and previous one. */
function secretMatches(
  record: ClientCredentialsRecord | null,
  secretHash: string,
  nowMs: number,
): boolean {
  const current = hashMatches(secretHash, record?.secretHash ?? UNMATCHABLE_SECRET_HASH);
  const previous = hashMatches(secretHash, record?.previousSecretHash ?? UNMATCHABLE_SECRET_HASH);
  return current || (previous && record !== null && previousSecretInGrace(record.client, nowMs));
}

/**
 * RFC 8705 §2: a CA-verified certificate with the client's subject DN (tls_client_auth), or
 * the very certificate the client registered, by fingerprint (self_signed_tls_client_auth).
 */
function certificateMatches(
  record: ClientCredentialsRecord | null,
  certificate: ClientCertificate,
): boolean {
  const expected = record?.client.tlsClientAuth;
  if (!record || !expected) return false;
  if (record.client.authMethod === 'tls_client_auth') {
    return certificate.verified && certificate.subjectDn === expected.subjectDn;
  }
  return (
    record.client.authMethod === 'self_signed_tls_client_auth' &&
    certificate.sha256 === expected.sha256
  );
}

/**
 * A client assertion that verifies with one of the client's keys, for this server, within 5
 * minutes, and whose `jti` this client had never used (the batch recorded it just now).
 */
async function assertionMatches(
  c: AppContext,
  record: ClientCredentialsRecord | null,
  presented: Extract<PresentedCredentials, { method: 'private_key_jwt' }>,
  fresh: boolean,
  now: number,
): Promise<boolean> {
  if (record?.client.authMethod !== 'private_key_jwt' || !record.client.jwks) return false;
  const issuer = issuerOf(c);
  const claims = await verifyClientAssertion(
    presented.assertion,
    record.client.jwks as ClientJwk[],
    {
      clientId: record.client.id,
      audiences: [issuer, oauthEndpoints(issuer).token],
      now,
    },
  );
  return claims !== null && claims.jti === presented.jti && fresh;
}

function quotaCredentialOf(
  presented: PresentedCredentials,
  secretHash: string | null,
): QuotaCredential | null {
  if (presented.method === 'tls_client_auth') return { certificate: presented.certificate };
  return secretHash === null ? null : { secretHash };
}

/**
 * Authenticates the calling client: with its secret (Basic or in the body), or with a client
 * assertion signed by one of its keys (RFC 7523 private_key_jwt). Unknown client, wrong secret,
 * bad or replayed assertion, the wrong method for the client and a disabled client all give
 * the same invalid_client, so nothing says which part was wrong.
 *
 * The credentials are checked first and right ones are always accepted: with 256-bit secrets
 * (or keys) a lock protects nothing, and a lock anyone could trigger (the client ID is in every
 * token's `sub`) would let them shut the client out. Only failures are throttled: past the limit
 * for the client ID or the source address (IPv6 by /64), a failure answers 429 instead of 401
 * until the window ends, and once a key is over its limit a failure costs one D1 read, no write.
 *
 * `alongside` adds reads (or writes) to the one D1 batch that reads the client; what they
 * found comes back as `alongside`.
 */
export async function authenticateClient<T = undefined>(
  c: AppContext,
  form: Record<string, string>,
  alongside: (presented: Presented) => Reads<T> = () => nothing as Reads<T>,
): Promise<ClientCredentialsRecord & { alongside: T; certificate: ClientCertificate | null }> {
  const presented = presentedCredentials(
    c.req.header('Authorization'),
    form,
    clientCertificateOf(c),
  );
  const triedBasic = presented.method === 'client_secret_basic';
  const db = c.env.DB;
  const now = Math.floor(Date.now() / 1000);
  const keys = throttleKeys(presented.clientId, clientAddressKey(c.req.header('CF-Connecting-IP')));
  const secretHash =
    presented.method === 'client_secret_basic' || presented.method === 'client_secret_post'
      ? await hashSecret(presented.clientSecret)
      : null;
  // One round trip (a D1 batch) for the client with its throttle counts, a presented
  // assertion's jti (recorded, so that it can never be used again) and what rides along.
  const found = await runReads(
    db,
    allReads({
      client: clientToAuthenticateRead(
        db,
        presented.clientId,
        failureCountsColumn(keys, FAILED_AUTH_WINDOW_SECONDS, now),
      ),
      assertionFresh:
        presented.method === 'private_key_jwt'
          ? clientAssertionRead(db, presented.clientId, presented.jti, now)
          : nothing,
      alongside: alongside({
        clientId: presented.clientId,
        credential: quotaCredentialOf(presented, secretHash),
      }),
    }),
  );
  const { record, failureCounts } = found.client;
  const matches =
    presented.method === 'private_key_jwt'
      ? await assertionMatches(c, record, presented, found.assertionFresh === true, now)
      : presented.method === 'tls_client_auth'
        ? certificateMatches(record, presented.certificate)
        : record?.client.authMethod === 'client_secret' &&
          secretHash !== null &&
          secretMatches(record, secretHash, now * 1000);
  if (record && matches && record.client.enabled) {
    const certificate = presented.method === 'tls_client_auth' ? presented.certificate : null;
    return { ...record, alongside: found.alongside as T, certificate };
  }

  const counted = failureCountsFrom(failureCounts);
  const retryAfter = await countFailure(db, keys, FAILED_AUTH_WINDOW_SECONDS, now, counted);
  if (retryAfter !== null) throw tooManyFailures(retryAfter);
  throw invalidClient(triedBasic);
}
