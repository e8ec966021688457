import { Errors } from './layout';

export function SignIn(props: { mode: 'token' | 'access' | 'closed'; message?: string }) {
  return (
    <>
      <h1>Sign in to the edgecase console</h1>
      <Errors message={props.message} />
      {props.mode === 'token' && (
        <form method="post" action="/admin/sign-in" class="card">
          <label for="token">Admin token</label>
          <input type="password" id="token" name="token" required autocomplete="current-password" />
          <p class="hint">
            ADMIN_TOKEN of this deployment (locally: in <code>.dev.vars</code>, which{' '}
            <code>npm start</code> writes).
          </p>
          <div class="actions">
            <button type="submit">Sign in</button>
          </div>
        </form>
      )}
      {props.mode === 'access' && (
        <p>This console is signed into through Cloudflare Access; open it through Access.</p>
      )}
      {props.mode === 'closed' && (
        <p>The console is closed: neither ADMIN_TOKEN nor Cloudflare Access is configured.</p>
      )}
    </>
  );
}

export function Landing(props: { issuer: string }) {
  return (
    <>
      <h1>edgecase</h1>
      <div class="card">
        <p>
          An OAuth 2.0 authorization server (client credentials) and a Pega API v1 case service, in
          one Cloudflare Worker.
        </p>
        <ul>
          <li>
            <a href="/admin/clients">The admin console</a>: client registrations, operators, case
            types, cases and the audit log.
          </li>
          <li>
            <a href="/api/v1/docs">The OpenAPI document</a> of the public API.
          </li>
          <li>
            <a href="/.well-known/oauth-authorization-server">The discovery document</a> (RFC 8414)
            of the issuer <code>{props.issuer}</code>.
          </li>
        </ul>
      </div>
    </>
  );
}

export function ErrorPage(props: { status: number; message: string }) {
  return (
    <>
      <h1>{props.status === 404 ? 'Not found' : 'That did not work'}</h1>
      <Errors message={props.message} />
      <p>
        <a href="/admin/clients">Back to the console</a>
      </p>
    </>
  );
}
