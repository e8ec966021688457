import { hashSecret, secretMatchesHash, UNMATCHABLE_SECRET_HASH } from '../crypto/secrets';
import { previousSecretInGrace } from '../domain/clients';
import { AppError, invalidClient, invalidRequest } from '../errors';
import { clientAddressKey } from '../http/client-address';
import type { AppContext } from '../http/context';
import {
  type FailureCount,
  failureCountsStatement,
  recordFailure,
  type ThrottleKey,
  throttledUntil,
} from '../store/auth-failures';
import {
  type ClientCredentialsRecord,
  clientForAuthenticationFrom,
  clientForAuthenticationStatement,
} from '../store/clients';

const MAX_CREDENTIAL_LENGTH = 256;

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

interface PresentedCredentials {
  method: 'client_secret_basic' | 'client_secret_post';
  clientId: string;
  clientSecret: string;
}

/** RFC 6749 §2.3.1: both halves are form-urlencoded before base64, so decode them. */
function formDecode(value: string): string {
  return decodeURIComponent(value.replace(/\+/g, ' '));
}

function parseBasic(header: string): { clientId: string; clientSecret: string } {
  try {
    const decoded = atob(header.slice('basic '.length).trim());
    const colon = decoded.indexOf(':');
    if (colon < 0) throw new Error('no colon');
    return {
      clientId: formDecode(decoded.slice(0, colon)),
      clientSecret: formDecode(decoded.slice(colon + 1)),
    };
  } catch {
    throw invalidRequest('The Authorization header does not hold valid Basic credentials.');
  }
}

/** Exactly one authentication method (RFC 6749 §2.3), else invalid_request or invalid_client. */
function presentedCredentials(
  authorization: string | undefined,
  form: Record<string, string>,
): PresentedCredentials {
  const basic = authorization?.toLowerCase().startsWith('basic ') ? authorization : undefined;
  if (basic) {
    if (form.client_secret !== undefined) {
      throw invalidRequest('Use one client authentication method, not Basic and the body at once.');
    }
    const credentials = parseBasic(basic);
    if (form.client_id !== undefined && form.client_id !== credentials.clientId) {
      throw invalidRequest('client_id in the body differs from the Basic credentials.');
    }
    return { method: 'client_secret_basic', ...credentials };
  }
  if (form.client_id !== undefined && form.client_secret !== undefined) {
    return {
      method: 'client_secret_post',
      clientId: form.client_id,
      clientSecret: form.client_secret,
    };
  }
  throw invalidClient(false);
}

function throttleKeys(clientId: string, address: string | undefined): ThrottleKey[] {
  const keys = [{ key: `client:${clientId}`, limit: FAILED_AUTH_LIMIT_PER_CLIENT }];
  if (address) keys.push({ key: `ip:${address}`, limit: FAILED_AUTH_LIMIT_PER_IP });
  return keys;
}

/**
 * Authenticates the calling client. Unknown client, wrong secret and disabled client all give
 * the same invalid_client, after the same hash comparisons, so neither the body nor the timing
 * says which half of the credential was wrong.
 *
 * The secret is checked first and a correct one is always accepted: with 256-bit secrets a lock
 * protects nothing, and a lock anyone could trigger (the client ID is in every token's `sub`)
 * would let them shut the client out. Only failures are throttled: past the limit for the
 * client ID or the source address (IPv6 by /64), a failure answers 429 instead of 401 until
 * the window ends, and once a key is over its limit a failure costs one D1 read, no write.
 */
export async function authenticateClient(
  c: AppContext,
  form: Record<string, string>,
  /** Statements for the same D1 batch, given the presented client ID and secret hash. */
  alongside: (presented: {
    clientId: string;
    secretHash: string;
  }) => D1PreparedStatement[] = () => [],
): Promise<ClientCredentialsRecord & { alongside: unknown[][] }> {
  const presented = presentedCredentials(c.req.header('Authorization'), form);
  const triedBasic = presented.method === 'client_secret_basic';
  if (
    presented.clientId.length === 0 ||
    presented.clientId.length > MAX_CREDENTIAL_LENGTH ||
    presented.clientSecret.length > MAX_CREDENTIAL_LENGTH
  ) {
    throw invalidClient(triedBasic);
  }
  const db = c.env.DB;
  const now = Math.floor(Date.now() / 1000);
  const keys = throttleKeys(presented.clientId, clientAddressKey(c.req.header('CF-Connecting-IP')));
  const secretHash = await hashSecret(presented.clientSecret);
  // One round trip (a D1 batch) for the client, the throttle counts and what rides along.
  const [clientRows, failureRows, ...alongsideResults] = await db.batch([
    clientForAuthenticationStatement(db, presented.clientId),
    failureCountsStatement(db, keys, FAILED_AUTH_WINDOW_SECONDS, now),
    ...alongside({ clientId: presented.clientId, secretHash }),
  ]);
  const record = clientForAuthenticationFrom(clientRows?.results[0]);
  const [matchesCurrent, matchesPrevious] = await Promise.all([
    secretMatchesHash(presented.clientSecret, record?.secretHash ?? UNMATCHABLE_SECRET_HASH),
    secretMatchesHash(
      presented.clientSecret,
      record?.previousSecretHash ?? UNMATCHABLE_SECRET_HASH,
    ),
  ]);
  const matches =
    matchesCurrent ||
    (matchesPrevious && record !== null && previousSecretInGrace(record.client, now * 1000));
  if (record && matches && record.client.enabled) {
    return { ...record, alongside: alongsideResults.map((result) => result.results) };
  }

  // A failure. Over the limit already: refuse without counting (the window's end is fixed).
  const counted = (failureRows?.results ?? []) as FailureCount[];
  const alreadyOver = throttledUntil(counted, keys, FAILED_AUTH_WINDOW_SECONDS, false);
  if (alreadyOver !== null) throw tooManyFailures(alreadyOver - now);
  // Else count it first, atomically, and decide on the count that includes it.
  const counts = await recordFailure(db, keys, FAILED_AUTH_WINDOW_SECONDS, now);
  const over = throttledUntil(counts, keys, FAILED_AUTH_WINDOW_SECONDS, true);
  if (over !== null) throw tooManyFailures(over - now);
  throw invalidClient(triedBasic);
}
