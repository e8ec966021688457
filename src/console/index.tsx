import { readFormParams } from '../http/body';
import { issuerOf } from '../http/context';
import { newApp } from '../http/hono';
import { auditPages } from './audit/routes';
import { casePages } from './cases/routes';
import { caseTypePages } from './casetypes/routes';
import { clientPages } from './clients/routes';
import { dataTypePages } from './datatypes/routes';
import { operatorPages } from './operators/routes';
import { Landing, SignIn } from './pages';
import { consolePage, pageNotFound, render, renderError } from './render';
import { signIn, signInAvailable, signOut } from './session';

/**
 * The admin console: server-rendered pages under /admin (the JSON admin API stays at
 * /admin/v1). Works without JavaScript; the copy buttons are the only script. Every page is
 * no-store, framed by nobody, under a CSP that allows this origin and the page's nonce only;
 * every form POST must come from this origin, and answers with a redirect (post/redirect/get).
 * Each resource's pages are their own module and app (clients/, operators/, ...), mounted
 * under its path, so the console's middleware never runs for the JSON API.
 */
export const consoleRoutes = newApp();
consoleRoutes.onError(renderError);

// The one stylesheet (no CDN, no inline styles: CSP) is a static asset, out of the bundle.
consoleRoutes.get('/assets/console.css', async (c) => {
  const stylesheet = await c.env.ASSETS.fetch(c.req.raw);
  const answer = new Response(stylesheet.body, stylesheet);
  answer.headers.set('Cache-Control', 'public, max-age=300');
  return answer;
});

consoleRoutes.get('/sign-in', consolePage, (c) =>
  render(c, 'Sign in', <SignIn mode={signInAvailable(c)} />, { signedIn: false }),
);

consoleRoutes.post('/sign-in', consolePage, async (c) => {
  const form = await readFormParams(c);
  const mode = signInAvailable(c);
  if (mode === 'token' && (await signIn(c, form.get('token') ?? ''))) {
    return c.redirect('/admin/clients', 303);
  }
  return render(c, 'Sign in', <SignIn mode={mode} message="That is not the admin token." />, {
    status: 400,
    signedIn: false,
  });
});

consoleRoutes.post('/sign-out', consolePage, async (c) => {
  await signOut(c);
  return c.redirect('/admin/sign-in', 303);
});

for (const [path, pages] of [
  ['/clients', clientPages],
  ['/operators', operatorPages],
  ['/casetypes', caseTypePages],
  ['/datatypes', dataTypePages],
  ['/cases', casePages],
  ['/audit', auditPages],
] as const) {
  // Last in each section: any path it does not know is an HTML 404.
  pages.all('*', pageNotFound);
  consoleRoutes.route(path, pages);
}

/** `GET /`: what this server is, and where to go. */
export const landing = newApp().get('/', consolePage, (c) =>
  render(c, 'edgecase', <Landing issuer={issuerOf(c)} />, { signedIn: false }),
);
