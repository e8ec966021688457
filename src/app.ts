import { AUDIENCES } from './audiences';
import { withConfig } from './http/context';
import { cors } from './http/cors';
import { handleError, handleNotFound } from './http/errors';
import { newApp } from './http/hono';
import { mountAudience } from './http/operations';
import { transportGuard } from './http/transport';

export function createApp() {
  const app = newApp();
  app.use('*', transportGuard);
  // Liveness only: no config, no storage.
  app.get('/healthz', (c) => c.json({ status: 'ok' }));
  // The console and the landing page are another Worker's (src/console-worker.ts), reached
  // through the CONSOLE service binding: the API's bundle carries none of their pages.
  app.use('*', async (c, next) => {
    if (!isConsolePath(c.req.path)) return next();
    return c.env.CONSOLE ? c.env.CONSOLE.fetch(c.req.raw) : handleNotFound(c);
  });
  app.use('*', withConfig);
  // Browser clients call the token endpoint, discovery and the case API; never the admin API.
  for (const path of ['/oauth2/*', '/api/*', '/prweb/*', '/.well-known/*']) app.use(path, cors);

  for (const audience of AUDIENCES) mountAudience(app, audience);

  app.notFound(handleNotFound);
  app.onError(handleError);
  return app;
}

/** The landing page and the console's pages: /, and /admin but for the JSON admin API. */
export const isConsolePath = (path: string) =>
  path === '/' ||
  ((path === '/admin' || path.startsWith('/admin/')) &&
    path !== '/admin/v1' &&
    !path.startsWith('/admin/v1/'));
