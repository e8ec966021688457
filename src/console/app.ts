import { withConfig } from '../http/context';
import { handleError, handleNotFound } from '../http/errors';
import { newApp } from '../http/hono';
import { transportGuard } from '../http/transport';
import { consoleRoutes, landing } from './index';

/**
 * The admin console as a Worker of its own (src/console-worker.ts): its pages under /admin and
 * the landing page at /. The API Worker hands these paths over through its CONSOLE service
 * binding, so the API's bundle carries none of the console's pages.
 */
export function createConsoleApp() {
  const app = newApp();
  app.use('*', transportGuard);
  app.use('*', withConfig);
  // The console's first page, whichever way the landing page's /admin/ is typed; it sends
  // anyone not signed in on to sign in.
  for (const entry of ['/admin', '/admin/']) {
    app.get(entry, (c) => c.redirect('/admin/clients', 303));
  }
  app.route('/admin', consoleRoutes);
  app.route('/', landing);
  app.notFound(handleNotFound);
  app.onError(handleError);
  return app;
}
