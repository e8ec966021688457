import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { createMiddleware } from 'hono/factory';
import { verifyAccessAssertion } from '../admin/access';
import { seal, unseal } from '../crypto/seal';
import { base64url, constantTimeEqual, sha256Hex } from '../crypto/secrets';
import {
  deleteSession,
  getSession,
  putReveal,
  putSession,
  type SessionRecord,
  takeReveal,
} from '../domain/console-sessions';
import type { Actor } from '../domain/model';
import { countFailure, failureCounts, type ThrottleKey } from '../domain/throttle';
import { AppError } from '../errors';
import { clientAddressKey } from '../http/client-address';
import { type AppContext, type AppEnv, inBackground } from '../http/context';

/**
 * Console sessions. With Cloudflare Access in front, its assertion is the session. Without,
 * the admin signs in with ADMIN_TOKEN and gets a random session ID in a cookie (HttpOnly,
 * SameSite=Strict, Secure); KV keeps only the ID's hash. A session ends after 8 idle hours, 12
 * hours after sign-in whatever its use, and at once when ADMIN_TOKEN changes or is removed
 * (it remembers a hash of the token it was opened with). The cookie opens the console only:
 * /admin/v1 never reads it.
 */
export const SESSION_COOKIE = 'edgecase_session';
export const SESSION_IDLE_SECONDS = 8 * 60 * 60;
export const SESSION_MAX_SECONDS = 12 * 60 * 60;
/** A session's TTL is extended at most this often (each extension is a KV write). */
const SESSION_REFRESH_SECONDS = 5 * 60;
const SESSION_PATH = '/admin';

const SIGN_IN_WINDOW_SECONDS = 300;
const SIGN_IN_FAILURES_PER_ADDRESS = 10;

const adminTokenHash = (token: string) => sha256Hex(`edgecase console session:${token}`);

/** What is left of a session's life: the idle limit, within the absolute one. */
const ttlOf = (record: SessionRecord, now: number) =>
  Math.min(SESSION_IDLE_SECONDS, record.createdAt + SESSION_MAX_SECONDS - now);

/** The session a cookie names, while its admin token is still the configured one. */
async function sessionActor(c: AppContext): Promise<Actor | null> {
  const { adminToken } = c.var.config;
  const id = getCookie(c, SESSION_COOKIE);
  if (!adminToken.ok || !id || id.length > 64) return null;
  const [record, tokenHash] = await Promise.all([
    getSession(c.env.TOKENS, id),
    adminTokenHash(adminToken.value),
  ]);
  if (!record) return null;
  const now = Math.floor(Date.now() / 1000);
  if (record.adminTokenHash !== tokenHash || ttlOf(record, now) <= 0) {
    // Ended for good: a token rotated back never revives it.
    await deleteSession(c.env.TOKENS, id);
    return null;
  }
  if (now - record.refreshedAt > SESSION_REFRESH_SECONDS) {
    const refreshed = { ...record, refreshedAt: now };
    inBackground(c)(
      putSession(c.env.TOKENS, id, refreshed, Math.max(60, ttlOf(refreshed, now))).catch((error) =>
        console.error('edgecase: could not extend a console session', error),
      ),
    );
  }
  return { id: record.actor };
}

/** The admin a console request speaks for, or null: Access first, then the session cookie. */
async function consoleActor(c: AppContext): Promise<Actor | null> {
  const { access } = c.var.config;
  const assertion = c.req.header('Cf-Access-Jwt-Assertion');
  if (assertion && access.ok && access.value) {
    const actor = await verifyAccessAssertion(assertion, access.value);
    if (actor) return actor;
  }
  return sessionActor(c);
}

/** Console pages need a signed-in admin; anyone else is sent to the sign-in page. */
export const requireConsoleAdmin = createMiddleware<AppEnv>(async function consoleAuth(c, next) {
  const actor = await consoleActor(c);
  if (!actor) return c.redirect('/admin/sign-in', 303);
  c.set('actor', actor);
  await next();
});

/** Whether the console can be signed into here at all. */
export function signInAvailable(c: AppContext): 'token' | 'access' | 'closed' {
  const { adminToken, access } = c.var.config;
  if (adminToken.ok) return 'token';
  if (access.ok && access.value) return 'access';
  return 'closed';
}

const signInKeys = (c: Context): ThrottleKey[] => [
  {
    key: `signin:${clientAddressKey(c.req.header('CF-Connecting-IP')) ?? 'unknown'}`,
    limit: SIGN_IN_FAILURES_PER_ADDRESS,
  },
];

export const signInThrottled = (retryAfterSeconds: number) =>
  new AppError(
    429,
    'too_many_requests',
    `Too many failed sign-ins from this address. Try again in ${Math.ceil(retryAfterSeconds / 60)} minutes.`,
    { headers: { 'Retry-After': String(Math.max(1, retryAfterSeconds)) } },
  );

/**
 * Checks the admin token a person typed and, if right, starts a session. Failures count
 * toward a per-address throttle (the same D1 counts as client authentication); the right
 * token is never refused for it.
 */
export async function signIn(c: AppContext, presented: string): Promise<boolean> {
  const { adminToken } = c.var.config;
  const db = c.env.DB;
  const now = Math.floor(Date.now() / 1000);
  const keys = signInKeys(c);
  const [counts, matches] = await Promise.all([
    failureCounts(db, keys, SIGN_IN_WINDOW_SECONDS, now),
    adminToken.ok ? constantTimeEqual(presented, adminToken.value) : Promise.resolve(false),
  ]);
  if (!matches || !adminToken.ok) {
    const retryAfter = await countFailure(db, keys, SIGN_IN_WINDOW_SECONDS, now, counts);
    if (retryAfter !== null) throw signInThrottled(retryAfter);
    return false;
  }
  const id = base64url(crypto.getRandomValues(new Uint8Array(32)));
  const record: SessionRecord = {
    actor: `admin token (session ${id.slice(0, 8)})`,
    createdAt: now,
    refreshedAt: now,
    adminTokenHash: await adminTokenHash(adminToken.value),
  };
  await putSession(c.env.TOKENS, id, record, SESSION_IDLE_SECONDS);
  setCookie(c, SESSION_COOKIE, id, {
    httpOnly: true,
    secure: true,
    sameSite: 'Strict',
    path: SESSION_PATH,
    maxAge: SESSION_MAX_SECONDS,
  });
  return true;
}

/** Ends the session server-side and clears the cookie. */
export async function signOut(c: AppContext): Promise<void> {
  const id = getCookie(c, SESSION_COOKIE);
  if (id && id.length <= 64) await deleteSession(c.env.TOKENS, id);
  deleteCookie(c, SESSION_COOKIE, { path: SESSION_PATH, secure: true });
}

const REVEAL_COOKIE = 'edgecase_reveal';
const revealPath = (clientId: string) =>
  `/admin/clients/${encodeURIComponent(clientId)}/credentials`;

/**
 * Keeps a new client secret for the page after the redirect (post/redirect/get) and shows it
 * there once. KV holds it sealed, for 60 s, under a ticket's hash; the key to open it is in a
 * cookie only that page receives (HttpOnly, SameSite=Strict, 60 s). Neither alone is the
 * secret, and reading it deletes both. Returns where to redirect.
 */
export async function keepSecretForReveal(
  c: AppContext,
  clientId: string,
  secret: string,
): Promise<string> {
  const ticket = base64url(crypto.getRandomValues(new Uint8Array(24)));
  const { sealed, key } = await seal(secret);
  await putReveal(c.env.TOKENS, ticket, { clientId, sealed });
  setCookie(c, REVEAL_COOKIE, `${ticket}.${key}`, {
    httpOnly: true,
    secure: true,
    sameSite: 'Strict',
    path: revealPath(clientId),
    maxAge: 60,
  });
  return revealPath(clientId);
}

/** The secret keepSecretForReveal kept for this client, once; null when gone or not ours. */
export async function revealSecret(c: AppContext, clientId: string): Promise<string | null> {
  const cookie = getCookie(c, REVEAL_COOKIE);
  deleteCookie(c, REVEAL_COOKIE, { path: revealPath(clientId), secure: true });
  const [ticket, key] = cookie?.split('.') ?? [];
  if (!ticket || !key || ticket.length > 64) return null;
  const record = await takeReveal(c.env.TOKENS, ticket);
  if (!record || record.clientId !== clientId) return null;
  return unseal(record.sealed, key);
}
