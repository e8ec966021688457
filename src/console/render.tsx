import type { Context } from 'hono';
import { every } from 'hono/combine';
import { createMiddleware } from 'hono/factory';
import type { Child } from 'hono/jsx';
import { base64url } from '../crypto/secrets';
import { AppError } from '../errors';
import { readFormParams } from '../http/body';
import { type AppContext, type AppEnv, noStore } from '../http/context';
import { type App, newApp } from '../http/hono';
import { numericCursor } from '../http/validation';
import * as z from '../zod';
import { Page, type Section } from './layout';
import { ErrorPage } from './pages';
import { requireConsoleAdmin } from './session';

/**
 * What every console page shares: the headers, the same-origin rule for form posts, the error
 * page, and the one way a form post answers (post/redirect/get).
 */
/** The console's headers, every one fixed but the CSP's per-request nonce (the copy buttons). */
const SECURITY_HEADERS = {
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Origin-Agent-Cluster': '?1',
  'X-Content-Type-Options': 'nosniff',
  'X-DNS-Prefetch-Control': 'off',
  'X-Download-Options': 'noopen',
  'X-Permitted-Cross-Domain-Policies': 'none',
  'X-XSS-Protection': '0',
};

/**
 * A CSP that allows this origin's stylesheet and forms, and the one script whose nonce it
 * names; no framing, no base URI. (HSTS is the transport guard's: on HTTPS answers only.)
 */
const securityHeaders = createMiddleware<AppEnv>(async function securityHeaders(c, next) {
  const nonce = base64url(crypto.getRandomValues(new Uint8Array(16)));
  c.set('nonce', nonce);
  await next();
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) c.header(name, value);
  // A response with a policy of its own (a file download's sandbox) keeps it.
  if (!c.res.headers.has('Content-Security-Policy')) {
    c.header(
      'Content-Security-Policy',
      `default-src 'none'; script-src 'nonce-${nonce}'; style-src 'self'; img-src 'self'; form-action 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'`,
    );
  }
});

/**
 * CSRF: every console request that is not a read must come from a page of this origin,
 * whatever its Content-Type (or none: disable, delete and sign-out send no body). The browser
 * says so in Sec-Fetch-Site (which no page can set); a browser that sends none must send an
 * Origin of this origin. (Under the console's no-referrer policy Chrome sends `Origin: null`
 * on its own forms, so Origin alone cannot be the rule.)
 */
function sameOriginRequest(request: { url: string; header(name: string): string | undefined }) {
  const site = request.header('Sec-Fetch-Site');
  const origin = request.header('Origin');
  const own = new URL(request.url).origin;
  if (site !== undefined)
    return site === 'same-origin' && (origin === undefined || origin === 'null' || origin === own);
  return origin === own;
}

const sameOriginPosts = createMiddleware<AppEnv>(async function sameOriginPosts(c, next) {
  if (c.req.method !== 'GET' && c.req.method !== 'HEAD' && !sameOriginRequest(c.req)) {
    throw new AppError(
      403,
      'forbidden',
      'This form was not sent from this console; nothing was changed.',
    );
  }
  await next();
});

/** Every console page, signed in or not. */
export const consolePage = every(securityHeaders, sameOriginPosts);

export function render(
  c: AppContext,
  title: string,
  body: Child,
  options: { section?: Section; status?: number; signedIn?: boolean } = {},
) {
  noStore(c);
  return c.html(
    <Page
      title={title}
      section={options.section}
      nonce={c.get('nonce')}
      signedIn={options.signedIn}
    >
      {body}
    </Page>,
    (options.status ?? 200) as 200,
  );
}

/** Any console failure as the error page: an AppError as it is, anything else a logged 503. */
export function renderError(error: Error, c: Context<AppEnv>) {
  let appError: AppError;
  if (error instanceof AppError) {
    appError = error;
  } else {
    console.error('edgecase: console error', c.req.method, c.req.path, error);
    appError = new AppError(
      503,
      'server_error',
      'The server is not able to handle this request now.',
    );
  }
  for (const [name, value] of Object.entries(appError.headers)) c.header(name, value);
  return render(c, 'Error', <ErrorPage status={appError.status} message={appError.message} />, {
    status: appError.status,
  });
}

export const pageNotFound = (c: AppContext) =>
  render(c, 'Not found', <ErrorPage status={404} message="There is no such page." />, {
    status: 404,
  });

/**
 * One resource's pages (`/admin/clients`, ...): its own Hono app, so the console's middleware
 * is mounted under the resource's path and never sees the JSON API at /admin/v1.
 */
export function consoleSection(): App {
  const section = newApp();
  section.use('*', consolePage, requireConsoleAdmin);
  section.onError(renderError);
  return section;
}

/** A page of a list that pages by a numeric cursor (cases, the audit log). */
export const cursorQuery = z.object({ cursor: numericCursor });

/** Form text: trimmed, or undefined when empty. */
export const text = (form: URLSearchParams, name: string) => {
  const value = form.get(name)?.trim();
  return value ? value : undefined;
};

/** A number field: undefined when empty; what was typed otherwise (zod says if it is none). */
export const number = (form: URLSearchParams, name: string) => {
  const value = text(form, name);
  return value === undefined ? undefined : Number(value);
};

/**
 * The version an edit form was loaded at (a hidden field), as If-Match would name it: a form
 * saved after someone else's change is refused (412) instead of undoing it.
 */
export function formVersion(form: URLSearchParams): number[] {
  const version = Number(form.get('version'));
  if (!Number.isSafeInteger(version) || version < 1) {
    throw new AppError(400, 'invalid_request', 'This form is out of date: open it again.');
  }
  return [version];
}

/** Whether a refusal was a stale form (another change came first). */
export const isStale = (refusal: AppError) => refusal.status === 412;

export const staleMessage = (what: string) =>
  `Someone changed this ${what} after you opened the form. It is shown below as it is now: make your change again.`;

/**
 * A form post, post/redirect/get: `act` makes the change and says where to go, and the answer
 * is a 303 there. When `act` refuses (bad fields, a stale version, a conflict), `again` shows
 * the form once more with what was wrong, and nothing was changed; without `again`, the error
 * page says it.
 */
export function formPost(
  act: (c: AppContext, form: URLSearchParams) => Promise<string>,
  again?: (c: AppContext, form: URLSearchParams, refusal: AppError) => Promise<Response>,
) {
  return async (c: AppContext) => {
    const form = await readFormParams(c);
    try {
      return c.redirect(await act(c, form), 303);
    } catch (error) {
      if (!(again && error instanceof AppError && error.status < 500)) throw error;
      return again(c, form, error);
    }
  };
}

/** The answers a redirect may ask a page to show: fixed texts, never echoed input. */
export function noticeOf<T extends Record<string, string>>(
  c: AppContext,
  notices: T,
): string | undefined {
  const done = c.req.query('done');
  return done !== undefined && Object.hasOwn(notices, done) ? notices[done] : undefined;
}
