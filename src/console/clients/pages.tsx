// Longer than 300 lines on purpose: every page of the client registrations (list, form, detail, secret shown once, confirmations); they share the form's types and its parts.
import { previousSecretInGrace } from '../../domain/clients';
import type { Client, Operator } from '../../domain/model';
import type { FieldIssue } from '../../errors';
import { oauthEndpoints } from '../../oauth/endpoints';
import { Action, Badge, CopyButton, Errors, Field, ScopeCheckboxes } from '../layout';

/** How a client authenticates, as the console offers it (both secret methods are one). */
export const AUTH_METHODS = [
  ['client_secret', 'A client secret (client_secret_basic or client_secret_post)'],
  ['private_key_jwt', 'A signed assertion with its own keys (private_key_jwt)'],
  ['tls_client_auth', 'A CA-issued TLS client certificate (tls_client_auth)'],
  [
    'self_signed_tls_client_auth',
    'A self-signed TLS client certificate (self_signed_tls_client_auth)',
  ],
] as const;

/** What the client form holds, as typed. */
export interface ClientForm {
  name?: string;
  description?: string;
  operatorID?: string;
  accessTokenLifetime?: string;
  tokensPerHour?: string;
  scopes?: string[];
  authMethod?: string;
  /** private_key_jwt: the public keys, as JSON ({"keys": [...]}). */
  jwks?: string;
  subjectDn?: string;
  sha256?: string;
  dpop?: boolean;
  /** The version an edit form was loaded at: a stale save is refused. */
  version?: string;
}

export const clientForm = (client: Client): ClientForm => ({
  name: client.name,
  description: client.description,
  operatorID: client.operatorId,
  accessTokenLifetime: String(client.accessTokenLifetimeSeconds),
  tokensPerHour: client.tokensPerHour === null ? '' : String(client.tokensPerHour),
  scopes: client.scopes,
  authMethod: client.authMethod,
  jwks: client.jwks ? JSON.stringify({ keys: client.jwks }, null, 2) : '',
  subjectDn: client.tlsClientAuth?.subjectDn ?? '',
  sha256: client.tlsClientAuth?.sha256 ?? '',
  dpop: client.dpopBoundAccessTokens,
  version: String(client.version),
});

/** How a client authenticates, as the token endpoint's metadata names it. */
const authMethodLabel = (client: Client) =>
  client.authMethod === 'client_secret'
    ? 'client_secret_basic, client_secret_post'
    : `${client.authMethod}${client.dpopBoundAccessTokens ? ' (DPoP only)' : ''}`;

export function ClientList(props: {
  clients: Client[];
  search: string;
  next?: string | undefined;
}) {
  return (
    <>
      <h1>Client registrations</h1>
      <form class="search" method="get" action="/admin/clients">
        <label>
          Name or client ID
          <input type="search" name="q" value={props.search} />
        </label>
        <button type="submit" class="secondary">
          Search
        </button>
        <a class="button" href="/admin/clients/new">
          New client registration
        </a>
      </form>
      <table>
        <thead>
          <tr>
            <th>Name</th>
            <th>Client ID</th>
            <th>Operator</th>
            <th>Status</th>
            <th>Auth method</th>
            <th>Secret changed</th>
            <th>Tokens per hour</th>
          </tr>
        </thead>
        <tbody>
          {props.clients.map((client) => (
            <tr>
              <td>
                <a href={`/admin/clients/${encodeURIComponent(client.id)}`}>{client.name}</a>
              </td>
              <td>
                <code>{client.id}</code>
              </td>
              <td>{client.operatorId}</td>
              <td>
                <Badge on={client.enabled} yes="enabled" no="disabled" />
              </td>
              <td>{authMethodLabel(client)}</td>
              <td>{client.secretUpdatedAt}</td>
              <td>{client.tokensPerHour ?? 'unlimited'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {props.clients.length === 0 && <p>No client registrations match.</p>}
      {props.next && (
        <p>
          <a
            href={`/admin/clients?q=${encodeURIComponent(props.search)}&cursor=${encodeURIComponent(props.next)}`}
          >
            Next page
          </a>
        </p>
      )}
    </>
  );
}

/**
 * Pega's "OAuth 2.0 Client Registration" form: the client information, and how it
 * authenticates. Registering (no `clientId`) picks the operator; editing keeps it.
 */
export function ClientEditor(props: {
  operators: Operator[];
  form: ClientForm;
  clientId?: string | undefined;
  message?: string | undefined;
  fields?: FieldIssue[] | undefined;
}) {
  const { form } = props;
  const editing = props.clientId !== undefined;
  const path = editing ? `/admin/clients/${encodeURIComponent(props.clientId ?? '')}` : '';
  const method = form.authMethod ?? 'client_secret';
  return (
    <>
      <h1>{editing ? `Edit ${form.name ?? ''}` : 'New client registration'}</h1>
      <Errors message={props.message} fields={props.fields} />
      <form method="post" action={editing ? `${path}/edit` : '/admin/clients/new'} class="card">
        {editing && <input type="hidden" name="version" value={form.version ?? ''} />}
        <Field name="name" label="Name" required maxlength={200} value={form.name ?? ''} />
        <label for="description">Description</label>
        <textarea id="description" name="description" maxlength={2000}>
          {form.description ?? ''}
        </textarea>
        {!editing && (
          <>
            <label for="operatorID">Operator</label>
            <select id="operatorID" name="operatorID" required>
              {props.operators.map((operator) => (
                <option value={operator.id} selected={operator.id === form.operatorID}>
                  {`${operator.id}: ${operator.accessGroup.name} (${operator.accessGroup.privileges.join(', ')})`}
                </option>
              ))}
            </select>
            <p class="hint">
              The client acts as this operator, with its access group's privileges at most.
            </p>
          </>
        )}
        <Field
          name="accessTokenLifetime"
          label="Access token lifetime (seconds)"
          type="number"
          min={60}
          max={86400}
          value={form.accessTokenLifetime ?? '3600'}
        />
        <ScopeCheckboxes
          name="scopes"
          legend={editing ? 'Scopes' : "Scopes (none ticked: all of the operator's privileges)"}
          checked={form.scopes}
        />
        <Field
          name="tokensPerHour"
          label="Tokens per hour"
          type="number"
          min={1}
          max={1000000}
          value={form.tokensPerHour ?? '1000'}
          hint="Empty: no quota."
        />
        <fieldset>
          <legend>Authenticates with</legend>
          {AUTH_METHODS.map(([value, label]) => (
            <label class="inline">
              <input type="radio" name="authMethod" value={value} checked={method === value} />
              {label}
            </label>
          ))}
        </fieldset>
        <label for="jwks">Public keys (private_key_jwt)</label>
        <textarea
          id="jwks"
          name="jwks"
          rows={6}
          placeholder='{"keys": [{"kty": "EC", "alg": "ES256", ...}]}'
        >
          {form.jwks ?? ''}
        </textarea>
        <p class="hint">
          A JWK set of 1 to 10 public keys, each with its alg (ES256, EdDSA, RS256 or PS256).
        </p>
        <Field
          name="subjectDn"
          label="Certificate subject DN (tls_client_auth)"
          maxlength={1000}
          value={form.subjectDn ?? ''}
        />
        <Field
          name="sha256"
          label="Certificate SHA-256 fingerprint (self_signed_tls_client_auth)"
          maxlength={200}
          value={form.sha256 ?? ''}
        />
        <label class="inline">
          <input type="checkbox" name="dpop" value="true" checked={form.dpop === true} />
          Every token must be DPoP-bound (RFC 9449)
        </label>
        <div class="actions">
          <button type="submit">{editing ? 'Save' : 'Register client'}</button>
          <a class="button secondary" href={editing ? path : '/admin/clients'}>
            Cancel
          </a>
        </div>
      </form>
    </>
  );
}

/** The generated credentials and endpoints: the one page that ever shows the secret. */
export function ClientSecret(props: {
  client: Client;
  secret: string;
  issuer: string;
  heading: string;
}) {
  const endpoints = oauthEndpoints(props.issuer);
  const curl = `curl -s ${endpoints.token} -u '${props.client.id}:${props.secret}' -d grant_type=client_credentials`;
  return (
    <>
      <h1>{props.heading}</h1>
      <div class="warning" role="alert">
        Copy the client secret now. It is shown on this page only, never again: edgecase keeps only
        its hash. If it is lost, regenerate it.
      </div>
      <div class="card">
        <dl>
          <dt>Client ID</dt>
          <dd>
            <code id="client-id">{props.client.id}</code> <CopyButton target="client-id" />
          </dd>
          <dt>Client secret</dt>
          <dd>
            <div class="secret" id="client-secret">
              {props.secret}
            </div>
            <CopyButton target="client-secret" />
          </dd>
          <dt>Token endpoint</dt>
          <dd>
            <code>{endpoints.token}</code>
          </dd>
          <dt>Revoke endpoint</dt>
          <dd>
            <code>{endpoints.revoke}</code>
          </dd>
          <dt>Introspection endpoint</dt>
          <dd>
            <code>{endpoints.introspect}</code>
          </dd>
          <dt>JWKS</dt>
          <dd>
            <code>{endpoints.jwks}</code>
          </dd>
          <dt>Metadata</dt>
          <dd>
            <code>{endpoints.metadata}</code>
          </dd>
        </dl>
        <h2>Get a token</h2>
        <pre id="token-curl">{curl}</pre>
        <CopyButton target="token-curl" />
      </div>
      <p>
        <a href={`/admin/clients/${encodeURIComponent(props.client.id)}`}>Go to the client</a>
      </p>
    </>
  );
}

export function ClientDetail(props: {
  client: Client;
  issuer: string;
  notice?: string | undefined;
}) {
  const { client } = props;
  const path = `/admin/clients/${encodeURIComponent(client.id)}`;
  const endpoints = oauthEndpoints(props.issuer);
  return (
    <>
      <h1>{client.name}</h1>
      {props.notice && <div class="notice">{props.notice}</div>}
      <div class="card">
        <dl>
          <dt>Client ID</dt>
          <dd>
            <code>{client.id}</code>
          </dd>
          <dt>Description</dt>
          <dd>{client.description || '—'}</dd>
          <dt>Operator</dt>
          <dd>
            <a href={`/admin/operators/${encodeURIComponent(client.operatorId)}`}>
              {client.operatorId}
            </a>
          </dd>
          <dt>Status</dt>
          <dd>
            <Badge on={client.enabled} yes="enabled" no="disabled" />
          </dd>
          <dt>Authenticates with</dt>
          <dd>{authMethodLabel(client)}</dd>
          <dt>Scopes</dt>
          <dd>{client.scopes.join(' ')}</dd>
          <dt>Access token lifetime</dt>
          <dd>{client.accessTokenLifetimeSeconds} s</dd>
          <dt>Tokens per hour</dt>
          <dd>{client.tokensPerHour ?? 'unlimited'}</dd>
          <dt>Secret changed</dt>
          <dd>{client.secretUpdatedAt}</dd>
          {previousSecretInGrace(client) && (
            <>
              <dt>Previous secret works until</dt>
              <dd>{client.previousSecretExpiresAt}</dd>
            </>
          )}
          <dt>Token endpoint</dt>
          <dd>
            <code>{endpoints.token}</code>
          </dd>
          <dt>Registered</dt>
          <dd>{client.createdAt}</dd>
        </dl>
      </div>
      <div class="actions">
        <a class="button secondary" href={`${path}/edit`}>
          Edit…
        </a>
        {client.authMethod === 'client_secret' && (
          <a class="button secondary" href={`${path}/confirm/secret`}>
            Regenerate secret…
          </a>
        )}
        <a class="button secondary" href={`${path}/confirm/revoke-tokens`}>
          Revoke all tokens…
        </a>
        {client.enabled ? (
          <a class="button secondary" href={`${path}/confirm/disable`}>
            Disable…
          </a>
        ) : (
          <Action action={`${path}/enable`} label="Enable">
            <input type="hidden" name="version" value={String(client.version)} />
          </Action>
        )}
        <a class="button secondary" href={`${path}/confirm/delete`}>
          Delete…
        </a>
      </div>
    </>
  );
}

const CONFIRMATIONS = {
  secret: {
    title: 'Regenerate the secret',
    text: 'A new secret is shown once. Without a grace period the current secret stops working now and every token of this client is revoked; with one, the current secret keeps working that long and tokens live on.',
    button: 'Regenerate secret',
  },
  'revoke-tokens': {
    title: 'Revoke all tokens',
    text: 'Every access token this client holds is refused from now on. The secret keeps working.',
    button: 'Revoke all tokens',
  },
  disable: {
    title: 'Disable the client',
    text: 'The client can no longer get tokens, and every token it holds is revoked for good (enabling it again does not bring them back).',
    button: 'Disable',
  },
  delete: {
    title: 'Delete the client',
    text: 'The registration is removed and every token it holds is revoked. This cannot be undone.',
    button: 'Delete',
  },
} as const;

export type ConfirmableAction = keyof typeof CONFIRMATIONS;
export const isConfirmable = (action: string): action is ConfirmableAction =>
  Object.hasOwn(CONFIRMATIONS, action);

export function ConfirmClientAction(props: { client: Client; action: ConfirmableAction }) {
  const path = `/admin/clients/${encodeURIComponent(props.client.id)}`;
  const confirmation = CONFIRMATIONS[props.action];
  return (
    <>
      <h1>{`${confirmation.title}: ${props.client.name}`}</h1>
      <div class="card">
        <p>{confirmation.text}</p>
        <form method="post" action={`${path}/${props.action}`}>
          <input type="hidden" name="version" value={String(props.client.version)} />
          {props.action === 'secret' && (
            <Field
              name="graceSeconds"
              label="Grace period for the current secret (seconds)"
              type="number"
              min={1}
              max={604800}
              hint="Empty: none. At most 604800 (7 days)."
            />
          )}
          <div class="actions">
            <button type="submit" class="danger">
              {confirmation.button}
            </button>
            <a class="button secondary" href={path}>
              Cancel
            </a>
          </div>
        </form>
      </div>
    </>
  );
}
