import { changesInput, registrationInput, tokenRecords } from '../../admin/clients';
import {
  regenerateSecretSchema,
  registerClientSchema,
  updateClientSchema,
} from '../../admin/schemas';
import {
  changeClient,
  listClients,
  regenerateClientSecret,
  registerClient,
  removeClient,
  requireClient,
  revokeClientTokens,
} from '../../domain/clients';
import type { AppError } from '../../errors';
import { parseJson } from '../../http/body';
import { type AppContext, issuerOf } from '../../http/context';
import { parseInput } from '../../http/validation';
import * as z from '../../zod';
import { allOperators } from '../operators/list';
import { ErrorPage } from '../pages';
import {
  consoleSection,
  formPost,
  formVersion,
  isStale,
  noticeOf,
  number,
  render,
  staleMessage,
  text,
} from '../render';
import { keepSecretForReveal, revealSecret } from '../session';
import {
  ClientDetail,
  ClientEditor,
  type ClientForm,
  ClientList,
  ClientSecret,
  ConfirmClientAction,
  clientForm,
  isConfirmable,
} from './pages';

/** `/admin/clients`: client registrations, their credentials and tokens. */
export const clientPages = consoleSection();

const pathOf = (id: string) => `/admin/clients/${encodeURIComponent(id)}`;

const NOTICES = {
  registered: 'The client is registered. It has no secret: it authenticates as set below.',
  saved: 'Saved.',
  revoked: 'Every token this client held is revoked.',
  enabled: 'The client is enabled.',
  disabled: 'The client is disabled, and its tokens are revoked.',
};

const pageQuery = z.object({ cursor: z.optional(z.string().check(z.maxLength(200))) });

/** The form as typed, to show it again. */
const readClientForm = (form: URLSearchParams): ClientForm => ({
  name: form.get('name') ?? '',
  description: form.get('description') ?? '',
  operatorID: form.get('operatorID') ?? '',
  accessTokenLifetime: form.get('accessTokenLifetime') ?? '',
  tokensPerHour: form.get('tokensPerHour') ?? '',
  scopes: form.getAll('scopes'),
  authMethod: form.get('authMethod') ?? 'client_secret',
  jwks: form.get('jwks') ?? '',
  subjectDn: form.get('subjectDn') ?? '',
  sha256: form.get('sha256') ?? '',
  dpop: form.get('dpop') === 'true',
  version: form.get('version') ?? '',
});

/**
 * JSON as typed, or the text itself when it is none or nests too deep (the schema then says
 * what is wrong).
 */
const json = (value: string | undefined) => {
  if (value === undefined) return undefined;
  try {
    return parseJson(value);
  } catch {
    return value;
  }
};

/**
 * The form as the admin API's body: the same schema checks it. Only what the chosen method
 * needs is sent: keys for private_key_jwt, the subject DN or the fingerprint for mTLS.
 */
function clientBody(form: URLSearchParams) {
  const method = form.get('authMethod') ?? 'client_secret';
  const scopes = form.getAll('scopes');
  return {
    name: text(form, 'name') ?? '',
    description: form.get('description')?.trim() ?? '',
    accessTokenLifetime: number(form, 'accessTokenLifetime'),
    ...(scopes.length > 0 && { scopes }),
    tokensPerHour: number(form, 'tokensPerHour') ?? null,
    tokenEndpointAuthMethod: method === 'client_secret' ? 'client_secret_basic' : method,
    ...(method === 'private_key_jwt' && { jwks: json(text(form, 'jwks')) }),
    ...(method === 'tls_client_auth' && { tlsClientAuthSubjectDn: text(form, 'subjectDn') }),
    ...(method === 'self_signed_tls_client_auth' && {
      tlsClientCertificateSha256: text(form, 'sha256'),
    }),
    dpopBoundAccessTokens: form.get('dpop') === 'true',
  };
}

async function editor(
  c: AppContext,
  form: ClientForm,
  clientId?: string,
  refusal?: { message: string; fields?: AppError['fields'] },
) {
  return render(
    c,
    clientId ? `Edit ${form.name ?? ''}` : 'New client registration',
    <ClientEditor
      operators={clientId ? [] : await allOperators(c)}
      form={form}
      clientId={clientId}
      message={refusal?.message}
      fields={refusal?.fields}
    />,
    { section: 'clients', status: refusal ? 400 : 200 },
  );
}

clientPages.get('/', async (c) => {
  const search = c.req.query('q')?.trim().slice(0, 200) ?? '';
  const { cursor } = parseInput(pageQuery, c.req.query(), 'query');
  const page = await listClients(c.env.DB, 100, cursor, search || undefined);
  return render(
    c,
    'Client registrations',
    <ClientList clients={page.items} search={search} next={page.nextCursor} />,
    { section: 'clients' },
  );
});

clientPages.get('/new', (c) => editor(c, {}));

clientPages.post(
  '/new',
  formPost(
    async (c, form) => {
      const body = parseInput(
        registerClientSchema,
        { ...clientBody(form), operatorID: text(form, 'operatorID') ?? '' },
        'registration',
      );
      const { client, clientSecret } = await registerClient(
        c.env.DB,
        c.var.actor,
        registrationInput(body),
      );
      return clientSecret === null
        ? `${pathOf(client.id)}?done=registered`
        : keepSecretForReveal(c, client.id, clientSecret);
    },
    (c, form, refusal) => editor(c, readClientForm(form), undefined, refusal),
  ),
);

clientPages.get('/:id', async (c) => {
  const client = await requireClient(c.env.DB, c.req.param('id'));
  return render(
    c,
    client.name,
    <ClientDetail client={client} issuer={issuerOf(c)} notice={noticeOf(c, NOTICES)} />,
    { section: 'clients' },
  );
});

clientPages.get('/:id/edit', async (c) => {
  const client = await requireClient(c.env.DB, c.req.param('id'));
  return editor(c, clientForm(client), client.id);
});

clientPages.post(
  '/:id/edit',
  formPost(
    async (c, form) => {
      const id = c.req.param('id') as string;
      const body = parseInput(updateClientSchema, clientBody(form), 'client');
      const { clientSecret } = await changeClient(
        c.env.DB,
        tokenRecords(c),
        c.var.actor,
        id,
        changesInput(body),
        formVersion(form),
      );
      // Back to a secret: the new one is shown once.
      return clientSecret === null
        ? `${pathOf(id)}?done=saved`
        : keepSecretForReveal(c, id, clientSecret);
    },
    async (c, form, refusal) => {
      const id = c.req.param('id') as string;
      if (!isStale(refusal)) return editor(c, readClientForm(form), id, refusal);
      const current = await requireClient(c.env.DB, id);
      return editor(c, clientForm(current), id, { message: staleMessage('client') });
    },
  ),
);

clientPages.get('/:id/confirm/:action', async (c) => {
  const action = c.req.param('action');
  const client = await requireClient(c.env.DB, c.req.param('id'));
  if (!isConfirmable(action))
    return render(c, 'Not found', <ErrorPage status={404} message="No such action." />, {
      status: 404,
    });
  return render(c, client.name, <ConfirmClientAction client={client} action={action} />, {
    section: 'clients',
  });
});

clientPages.post(
  '/:id/secret',
  formPost(async (c, form) => {
    const { graceSeconds } = parseInput(
      regenerateSecretSchema,
      { graceSeconds: number(form, 'graceSeconds') },
      'grace period',
    );
    const { client, clientSecret } = await regenerateClientSecret(
      c.env.DB,
      tokenRecords(c),
      c.var.actor,
      c.req.param('id') as string,
      graceSeconds,
    );
    return keepSecretForReveal(c, client.id, clientSecret);
  }),
);

/** The page after a registration or a new secret: the secret, this once. */
clientPages.get('/:id/credentials', async (c) => {
  const id = c.req.param('id');
  const [client, secret] = await Promise.all([requireClient(c.env.DB, id), revealSecret(c, id)]);
  if (secret === null) {
    const message =
      'The secret was shown once and cannot be shown again. If it was not copied, regenerate it.';
    return render(c, client.name, <ErrorPage status={410} message={message} />, {
      section: 'clients',
      status: 410,
    });
  }
  return render(
    c,
    'Client secret',
    <ClientSecret
      client={client}
      secret={secret}
      issuer={issuerOf(c)}
      heading={`Client secret for ${client.name}`}
    />,
    { section: 'clients' },
  );
});

clientPages.post(
  '/:id/revoke-tokens',
  formPost(async (c) => {
    const id = c.req.param('id') as string;
    await revokeClientTokens(c.env.DB, tokenRecords(c), c.var.actor, id);
    return `${pathOf(id)}?done=revoked`;
  }),
);

/** Disables or enables a client from its page, at the version the page showed. */
const setEnabled = (enabled: boolean) =>
  formPost(async (c, form) => {
    const id = c.req.param('id') as string;
    await changeClient(c.env.DB, tokenRecords(c), c.var.actor, id, { enabled }, formVersion(form));
    return `${pathOf(id)}?done=${enabled ? 'enabled' : 'disabled'}`;
  });

clientPages.post('/:id/disable', setEnabled(false));
clientPages.post('/:id/enable', setEnabled(true));

clientPages.post(
  '/:id/delete',
  formPost(async (c, form) => {
    const id = c.req.param('id') as string;
    await removeClient(c.env.DB, tokenRecords(c), c.var.actor, id, formVersion(form));
    return '/admin/clients';
  }),
);
