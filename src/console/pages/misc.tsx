import type { CaseType } from '../../domain/model';
import type { AuditEvent, AuditFilter } from '../../store/audit';
import { Errors } from '../layout';

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

export function AuditLog(props: {
  events: AuditEvent[];
  filter: AuditFilter;
  next?: string | undefined;
}) {
  const { filter } = props;
  return (
    <>
      <h1>Audit log</h1>
      <form class="search" method="get" action="/admin/audit">
        <label>
          Target
          <select name="targetType">
            <option value="">any</option>
            {['operator', 'client', 'casetype', 'case'].map((type) => (
              <option value={type} selected={type === filter.targetType}>
                {type}
              </option>
            ))}
          </select>
        </label>
        <label>
          Action
          <input
            type="search"
            name="action"
            value={filter.action ?? ''}
            placeholder="client.update"
          />
        </label>
        <label>
          Who or which
          <input type="search" name="q" value={filter.search ?? ''} />
        </label>
        <button type="submit" class="secondary">
          Filter
        </button>
      </form>
      <table>
        <thead>
          <tr>
            <th>When</th>
            <th>Who</th>
            <th>Action</th>
            <th>Target</th>
            <th>Detail</th>
          </tr>
        </thead>
        <tbody>
          {props.events.map((event) => (
            <tr>
              <td>{event.at}</td>
              <td>{event.actor}</td>
              <td>{event.action}</td>
              <td>{`${event.targetType} ${event.targetId}`}</td>
              <td>
                <code>{JSON.stringify(event.detail)}</code>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {props.next && (
        <p>
          <a
            href={`/admin/audit?${new URLSearchParams({
              targetType: filter.targetType ?? '',
              action: filter.action ?? '',
              q: filter.search ?? '',
              cursor: props.next,
            })}`}
          >
            Older
          </a>
        </p>
      )}
    </>
  );
}

export function CaseTypeList(props: { caseTypes: CaseType[] }) {
  return (
    <>
      <h1>Case types</h1>
      <p>
        <a class="button" href="/admin/casetypes/new">
          New case type
        </a>
      </p>
      <table>
        <thead>
          <tr>
            <th>ID</th>
            <th>Name</th>
            <th>Prefix</th>
            <th>Fields</th>
            <th>Flow</th>
          </tr>
        </thead>
        <tbody>
          {props.caseTypes.map((type) => (
            <tr>
              <td>
                <a href={`/admin/casetypes/${encodeURIComponent(type.id)}`}>{type.id}</a>
              </td>
              <td>{type.name}</td>
              <td>{type.idPrefix}</td>
              <td>{type.fields.map((field) => field.name).join(', ')}</td>
              <td>{type.flow.map((step) => step.name).join(' → ')}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

export function CaseTypeDetail(props: { caseType: CaseType }) {
  const { caseType } = props;
  return (
    <>
      <h1>{caseType.name}</h1>
      <p>
        <code>{caseType.id}</code>, case IDs <code>{caseType.idPrefix}</code>…{' '}
        <a
          class="button secondary"
          href={`/admin/casetypes/${encodeURIComponent(caseType.id)}/edit`}
        >
          Edit
        </a>
      </p>
      <h2>Fields</h2>
      <table>
        <thead>
          <tr>
            <th>Name</th>
            <th>Label</th>
            <th>Type</th>
            <th>Required to create</th>
            <th>Limits</th>
          </tr>
        </thead>
        <tbody>
          {caseType.fields.map((field) => (
            <tr>
              <td>{field.name}</td>
              <td>{field.label ?? field.name}</td>
              <td>{field.type}</td>
              <td>{field.required ? 'yes' : 'no'}</td>
              <td>
                {field.maxLength ? `at most ${field.maxLength} characters` : ''}
                {field.enum ? `one of ${field.enum.join(', ')}` : ''}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>Flow</h2>
      <table>
        <thead>
          <tr>
            <th>Step</th>
            <th>Instructions</th>
            <th>Form</th>
            <th>Action</th>
            <th>Routed to</th>
          </tr>
        </thead>
        <tbody>
          {caseType.flow.map((step) => (
            <tr>
              <td>{step.name}</td>
              <td>{step.instructions}</td>
              <td>
                {step.fields
                  .map((field) => `${field.name}${field.required ? ' (required)' : ''}`)
                  .join(', ')}
              </td>
              <td>{step.action.name}</td>
              <td>{step.routeTo ?? 'the case creator'}</td>
            </tr>
          ))}
        </tbody>
      </table>
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
