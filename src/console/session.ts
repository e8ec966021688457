import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { createMiddleware } from 'hono/factory';
import { verifyAccessAssertion } from '../admin/access';
import { base64url, constantTimeEqual, sha256Hex } from '../crypto/secrets';
import type { Actor } from '../domain/model';
import { AppError } from '../errors';
import { clientAddressKey } from '../http/client-address';
import { type AppContext, type AppEnv, inBackground } from '../http/context';
import {
  countFailure,
  type FailureCount,
  failureCountsStatement,
  type ThrottleKey,
} from '../store/auth-failures';

/**
 * Console sessions. With Cloudflare Access in front, its assertion is the session. Without,
 * the admin signs in with ADMIN_TOKEN and gets a random session ID in a cookie (HttpOnly,
 * SameSite=Strict, Secure); KV keeps only the ID's hash, with an 8-hour idle TTL that each use
 * extends. The cookie opens the console only: /admin/v1 never reads it.
 */
export const SESSION_COOKIE = 'edgecase_session';
const SESSION_IDLE_SECONDS = 8 * 60 * 60;
/** A session's TTL is extended at most this often (each extension is a KV write). */
const SESSION_REFRESH_SECONDS = 5 * 60;
const SESSION_PATH = '/admin';

const SIGN_IN_WINDOW_SECONDS = 300;
const SIGN_IN_FAILURES_PER_ADDRESS = 10;

interface SessionRecord {
  actor: string;
  createdAt: number;
  refreshedAt: number;
}

const sessionKey = async (id: string) => `session:${await sha256Hex(id)}`;

async function putSession(kv: KVNamespace, key: string, record: SessionRecord) {
  await kv.put(key, JSON.stringify(record), { expirationTtl: SESSION_IDLE_SECONDS });
}

/** The admin a console request speaks for, or null: Access first, then the session cookie. */
async function consoleActor(c: AppContext): Promise<Actor | null> {
  const { access } = c.var.config;
  const assertion = c.req.header('Cf-Access-Jwt-Assertion');
  if (assertion && access.ok && access.value) {
    const actor = await verifyAccessAssertion(assertion, access.value);
    if (actor) return actor;
  }
  const id = getCookie(c, SESSION_COOKIE);
  if (!id || id.length > 64) return null;
  const key = await sessionKey(id);
  const record = await c.env.TOKENS.get<SessionRecord>(key, 'json');
  if (!record) return null;
  const now = Math.floor(Date.now() / 1000);
  if (now - record.refreshedAt > SESSION_REFRESH_SECONDS) {
    inBackground(c)(
      putSession(c.env.TOKENS, key, { ...record, refreshedAt: now }).catch((error) =>
        console.error('edgecase: could not extend a console session', error),
      ),
    );
  }
  return { id: record.actor };
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
    failureCountsStatement(db, keys, SIGN_IN_WINDOW_SECONDS, now).all<FailureCount>(),
    adminToken.ok ? constantTimeEqual(presented, adminToken.value) : Promise.resolve(false),
  ]);
  if (!matches) {
    const retryAfter = await countFailure(db, keys, SIGN_IN_WINDOW_SECONDS, now, counts.results);
    if (retryAfter !== null) throw signInThrottled(retryAfter);
    return false;
  }
  const id = base64url(crypto.getRandomValues(new Uint8Array(32)));
  await putSession(c.env.TOKENS, await sessionKey(id), {
    actor: `admin token (session ${id.slice(0, 8)})`,
    createdAt: now,
    refreshedAt: now,
  });
  setCookie(c, SESSION_COOKIE, id, {
    httpOnly: true,
    secure: true,
    sameSite: 'Strict',
    path: SESSION_PATH,
    maxAge: SESSION_IDLE_SECONDS,
  });
  return true;
}

/** Ends the session server-side and clears the cookie. */
export async function signOut(c: AppContext): Promise<void> {
  const id = getCookie(c, SESSION_COOKIE);
  if (id && id.length <= 64) await c.env.TOKENS.delete(await sessionKey(id));
  deleteCookie(c, SESSION_COOKIE, { path: SESSION_PATH, secure: true });
}
