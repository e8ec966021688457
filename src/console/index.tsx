import { type Context, Hono, type MiddlewareHandler } from 'hono';
import { csrf } from 'hono/csrf';
import { createMiddleware } from 'hono/factory';
import { HTTPException } from 'hono/http-exception';
import type { Child } from 'hono/jsx';
import { NONCE, secureHeaders } from 'hono/secure-headers';
import * as z from 'zod';
import { registrationInput, tokenRecords } from '../admin/clients';
import {
  caseTypeSchema,
  createOperatorSchema,
  regenerateSecretSchema,
  registerClientSchema,
  updateOperatorSchema,
} from '../admin/schemas';
import { defineCaseType, redefineCaseType } from '../domain/case-types';
import { caseReads, caseReadsFrom } from '../domain/cases';
import {
  changeClient,
  regenerateClientSecret,
  registerClient,
  removeClient,
  requireClient,
  revokeClientTokens,
} from '../domain/clients';
import type { Client } from '../domain/model';
import {
  changeOperator,
  createOperator,
  removeOperator,
  requireOperator,
} from '../domain/operators';
import { AppError, caseNotFound, caseTypeNotFound } from '../errors';
import { readFormParams } from '../http/body';
import { type AppContext, type AppEnv, issuerOf, noStore } from '../http/context';
import { parseInput } from '../http/validation';
import { listAuditEvents } from '../store/audit';
import { getCaseType, listCaseTypes } from '../store/case-types';
import { searchCases } from '../store/cases';
import { listClients } from '../store/clients';
import { listOperators } from '../store/operators';
import { Page, type Section } from './layout';
import { CaseDetail, CaseList } from './pages/cases';
import {
  CaseTypeEditor,
  caseTypeBody,
  caseTypeForm,
  emptyCaseTypeForm,
  readCaseTypeForm,
} from './pages/casetypes';
import {
  ClientDetail,
  ClientList,
  ClientSecret,
  ConfirmClientAction,
  isConfirmable,
  NewClient,
} from './pages/clients';
import { AuditLog, CaseTypeDetail, CaseTypeList, ErrorPage, Landing, SignIn } from './pages/misc';
import {
  ConfirmOperatorDelete,
  OperatorEditor,
  type OperatorForm,
  OperatorList,
  operatorForm,
} from './pages/operators';
import { requireConsoleAdmin, signIn, signInAvailable, signOut } from './session';
import { CONSOLE_CSS } from './style';

/**
 * The admin console: server-rendered pages under /admin (the JSON admin API stays at
 * /admin/v1). Works without JavaScript; the copy buttons are the only script. Every page is
 * no-store, framed by nobody, under a CSP that allows this origin and the page's nonce only;
 * every form POST must come from this origin (CSRF).
 */
const securityHeaders = secureHeaders({
  contentSecurityPolicy: {
    defaultSrc: ["'none'"],
    scriptSrc: [NONCE],
    styleSrc: ["'self'"],
    imgSrc: ["'self'"],
    formAction: ["'self'"],
    connectSrc: ["'self'"],
    frameAncestors: ["'none'"],
    baseUri: ["'none'"],
  },
  // HSTS is the transport guard's: on HTTPS answers only, never on local plain HTTP.
  strictTransportSecurity: false,
  xFrameOptions: 'DENY',
  referrerPolicy: 'no-referrer',
  crossOriginResourcePolicy: 'same-origin',
});

function nonceOf(c: AppContext): string | undefined {
  return (c as unknown as Context).get('secureHeadersNonce' as never) as string | undefined;
}

function render(
  c: AppContext,
  title: string,
  body: Child,
  options: {
    section?: Section;
    status?: 200 | 400 | 404 | 409 | 412 | 429 | 503;
    signedIn?: boolean;
  } = {},
) {
  noStore(c);
  return c.html(
    <Page title={title} section={options.section} nonce={nonceOf(c)} signedIn={options.signedIn}>
      {body}
    </Page>,
    options.status ?? 200,
  );
}

/** Form text: trimmed, or undefined when empty. */
const text = (form: URLSearchParams, name: string) => {
  const value = form.get(name)?.trim();
  return value ? value : undefined;
};
/** A number field: undefined when empty; what was typed otherwise (zod says if it is none). */
const number = (form: URLSearchParams, name: string) => {
  const value = text(form, name);
  return value === undefined ? undefined : Number(value);
};

/** A refusal with field errors shows the form again with them; anything else, the error page. */
function formError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  throw error;
}

const pageQuery = z.object({ cursor: z.string().max(200).optional() });

/** What a console failure says: an AppError as it is, a refused form post (CSRF) as 403. */
function consoleError(error: unknown, method: string, path: string): AppError {
  if (error instanceof AppError) return error;
  if (error instanceof HTTPException && error.status === 403) {
    return new AppError(
      403,
      'forbidden',
      'This form was not sent from this console; nothing was changed.',
    );
  }
  console.error('edgecase: console error', method, path, error);
  return new AppError(503, 'server_error', 'The server is not able to handle this request now.');
}

/** Console middleware only: mounted at /admin, it must leave the JSON API at /admin/v1 alone. */
const consoleOnly = (middleware: MiddlewareHandler<AppEnv>) =>
  createMiddleware<AppEnv>((c, next) =>
    /^\/admin\/v1(\/|$)/.test(c.req.path) ? next() : middleware(c, next),
  );

export const consoleRoutes = new Hono<AppEnv>();

consoleRoutes.use('*', consoleOnly(securityHeaders));
// CSRF: a form POST must come from this origin (Origin header), whatever the cookie says.
consoleRoutes.use(
  '*',
  consoleOnly(csrf({ origin: (origin, c) => origin === new URL(c.req.url).origin })),
);
consoleRoutes.onError((error, c) => {
  const appError = consoleError(error, c.req.method, c.req.path);
  for (const [name, value] of Object.entries(appError.headers)) c.header(name, value);
  return render(
    c as AppContext,
    'Error',
    <ErrorPage status={appError.status} message={appError.message} />,
    {
      status: appError.status as 400,
    },
  );
});

consoleRoutes.get('/assets/console.css', (c) => {
  c.header('Cache-Control', 'public, max-age=300');
  return c.body(CONSOLE_CSS, 200, { 'Content-Type': 'text/css; charset=utf-8' });
});

consoleRoutes.get('/sign-in', (c) =>
  render(c, 'Sign in', <SignIn mode={signInAvailable(c)} />, { signedIn: false }),
);

consoleRoutes.post('/sign-in', async (c) => {
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

consoleRoutes.post('/sign-out', async (c) => {
  await signOut(c);
  return c.redirect('/admin/sign-in', 303);
});

consoleRoutes.use('*', consoleOnly(requireConsoleAdmin));

consoleRoutes.get('/', (c) => c.redirect('/admin/clients', 303));

// Client registrations.
consoleRoutes.get('/clients', async (c) => {
  const search = c.req.query('q')?.trim().slice(0, 200) ?? '';
  const { cursor } = parseInput(pageQuery, c.req.query(), 'query');
  const page = await listClients(c.env.DB, 100, cursor, search || undefined);
  return render(
    c,
    'Client registrations',
    <ClientList clients={page.items} search={search} next={page.nextCursor} />,
    {
      section: 'clients',
    },
  );
});

/** Every operator, for the pickers (admins define tens, not hundreds). */
const allOperators = async (c: AppContext) => (await listOperators(c.env.DB, 500, undefined)).items;

consoleRoutes.get('/clients/new', async (c) => {
  return render(
    c,
    'New client registration',
    <NewClient operators={await allOperators(c)} form={{}} />,
    {
      section: 'clients',
    },
  );
});

consoleRoutes.post('/clients/new', async (c) => {
  const form = await readFormParams(c);
  const scopes = form.getAll('scopes');
  const input = {
    name: text(form, 'name') ?? '',
    ...(text(form, 'description') && { description: text(form, 'description') }),
    operatorID: text(form, 'operatorID') ?? '',
    accessTokenLifetime: number(form, 'accessTokenLifetime'),
    ...(scopes.length > 0 && { scopes }),
    tokensPerHour: number(form, 'tokensPerHour') ?? null,
  };
  try {
    const body = parseInput(registerClientSchema, input, 'registration');
    const { client, clientSecret } = await registerClient(
      c.env.DB,
      c.var.actor,
      registrationInput(body),
    );
    // The console registers secret-based clients, which always get one.
    if (clientSecret === null)
      throw new Error('a secret-based client was registered without a secret');
    return render(
      c,
      'Client registered',
      <ClientSecret
        client={client}
        secret={clientSecret}
        issuer={issuerOf(c)}
        heading={`Client registered: ${client.name}`}
      />,
      { section: 'clients' },
    );
  } catch (error) {
    const refusal = formError(error);
    const operators = await allOperators(c);
    return render(
      c,
      'New client registration',
      <NewClient
        operators={operators}
        form={{
          name: form.get('name') ?? '',
          description: form.get('description') ?? '',
          operatorID: form.get('operatorID') ?? '',
          accessTokenLifetime: form.get('accessTokenLifetime') ?? '',
          tokensPerHour: form.get('tokensPerHour') ?? '',
          scopes,
        }}
        message={refusal.message}
        fields={refusal.fields}
      />,
      { section: 'clients', status: 400 },
    );
  }
});

consoleRoutes.get('/clients/:id', async (c) => {
  const client = await requireClient(c.env.DB, c.req.param('id'));
  return render(c, client.name, <ClientDetail client={client} issuer={issuerOf(c)} />, {
    section: 'clients',
  });
});

consoleRoutes.get('/clients/:id/confirm/:action', async (c) => {
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

consoleRoutes.post('/clients/:id/secret', async (c) => {
  const form = await readFormParams(c);
  const { graceSeconds } = parseInput(
    regenerateSecretSchema,
    { graceSeconds: number(form, 'graceSeconds') },
    'grace period',
  );
  const { client, clientSecret } = await regenerateClientSecret(
    c.env.DB,
    tokenRecords(c),
    c.var.actor,
    c.req.param('id'),
    graceSeconds,
  );
  return render(
    c,
    'New secret',
    <ClientSecret
      client={client}
      secret={clientSecret}
      issuer={issuerOf(c)}
      heading={`New secret for ${client.name}`}
    />,
    { section: 'clients' },
  );
});

/** The client page after an action, from the client the action returned (no second read). */
const clientNotice = (c: AppContext, client: Client, notice: string) =>
  render(c, client.name, <ClientDetail client={client} issuer={issuerOf(c)} notice={notice} />, {
    section: 'clients',
  });

consoleRoutes.post('/clients/:id/revoke-tokens', async (c) => {
  const client = await revokeClientTokens(
    c.env.DB,
    tokenRecords(c),
    c.var.actor,
    c.req.param('id'),
  );
  return clientNotice(c, client, 'Every token this client held is revoked.');
});

/** Disables or enables a client from its page. */
const setClientEnabled = async (c: AppContext, enabled: boolean) => {
  const { client } = await changeClient(
    c.env.DB,
    tokenRecords(c),
    c.var.actor,
    c.req.param('id') as string,
    { enabled },
    null,
  );
  return clientNotice(
    c,
    client,
    enabled ? 'The client is enabled.' : 'The client is disabled, and its tokens are revoked.',
  );
};

consoleRoutes.post('/clients/:id/disable', (c) => setClientEnabled(c, false));
consoleRoutes.post('/clients/:id/enable', (c) => setClientEnabled(c, true));

consoleRoutes.post('/clients/:id/delete', async (c) => {
  await removeClient(c.env.DB, tokenRecords(c), c.var.actor, c.req.param('id'), null);
  return c.redirect('/admin/clients', 303);
});

// Operators.
function operatorInput(form: URLSearchParams) {
  const caseTypes = (text(form, 'caseTypes') ?? '')
    .split(',')
    .map((type) => type.trim())
    .filter(Boolean);
  return {
    name: text(form, 'name') ?? '',
    accessGroup: {
      name: text(form, 'groupName') ?? '',
      privileges: form.getAll('privileges'),
      caseTypes,
      caseVisibility: form.get('caseVisibility') ?? '',
    },
  };
}

const echoOperatorForm = (form: URLSearchParams): OperatorForm => ({
  operatorID: form.get('operatorID') ?? '',
  name: form.get('name') ?? '',
  groupName: form.get('groupName') ?? '',
  privileges: form.getAll('privileges'),
  caseTypes: form.get('caseTypes') ?? '',
  caseVisibility: form.get('caseVisibility') ?? 'own',
});

consoleRoutes.get('/operators', async (c) => {
  const page = await listOperators(c.env.DB, 500, undefined);
  return render(c, 'Operators', <OperatorList operators={page.items} />, { section: 'operators' });
});

consoleRoutes.get('/operators/new', (c) =>
  render(c, 'New operator', <OperatorEditor form={{ caseTypes: '*' }} editing={false} />, {
    section: 'operators',
  }),
);

consoleRoutes.post('/operators/new', async (c) => {
  const form = await readFormParams(c);
  try {
    const body = parseInput(
      createOperatorSchema,
      { operatorID: text(form, 'operatorID') ?? '', ...operatorInput(form) },
      'operator',
    );
    await createOperator(c.env.DB, c.var.actor, {
      id: body.operatorID,
      name: body.name,
      accessGroup: body.accessGroup,
    });
    return c.redirect(`/admin/operators/${encodeURIComponent(body.operatorID)}`, 303);
  } catch (error) {
    const refusal = formError(error);
    return render(
      c,
      'New operator',
      <OperatorEditor
        form={echoOperatorForm(form)}
        editing={false}
        message={refusal.message}
        fields={refusal.fields}
      />,
      { section: 'operators', status: 400 },
    );
  }
});

consoleRoutes.get('/operators/:id', async (c) => {
  const operator = await requireOperator(c.env.DB, c.req.param('id'));
  return render(c, operator.id, <OperatorEditor form={operatorForm(operator)} editing />, {
    section: 'operators',
  });
});

consoleRoutes.post('/operators/:id', async (c) => {
  const form = await readFormParams(c);
  const id = c.req.param('id');
  try {
    const changes = parseInput(updateOperatorSchema, operatorInput(form), 'operator');
    await changeOperator(c.env.DB, c.var.actor, id, changes, null);
    return c.redirect(`/admin/operators/${encodeURIComponent(id)}`, 303);
  } catch (error) {
    const refusal = formError(error);
    return render(
      c,
      id,
      <OperatorEditor
        form={{ ...echoOperatorForm(form), operatorID: id }}
        editing
        message={refusal.message}
        fields={refusal.fields}
      />,
      { section: 'operators', status: 400 },
    );
  }
});

consoleRoutes.get('/operators/:id/delete', async (c) => {
  const operator = await requireOperator(c.env.DB, c.req.param('id'));
  return render(c, operator.id, <ConfirmOperatorDelete operator={operator} />, {
    section: 'operators',
  });
});

consoleRoutes.post('/operators/:id/delete', async (c) => {
  await removeOperator(c.env.DB, c.var.actor, c.req.param('id'), null);
  return c.redirect('/admin/operators', 303);
});

// Case types.
consoleRoutes.get('/casetypes', async (c) =>
  render(c, 'Case types', <CaseTypeList caseTypes={await listCaseTypes(c.env.DB)} />, {
    section: 'casetypes',
  }),
);

consoleRoutes.get('/casetypes/new', async (c) =>
  render(
    c,
    'New case type',
    <CaseTypeEditor form={emptyCaseTypeForm()} operators={await allOperators(c)} editing={false} />,
    { section: 'casetypes' },
  ),
);

consoleRoutes.post('/casetypes/new', async (c) => {
  const form = readCaseTypeForm(await readFormParams(c));
  try {
    const { ID, ...definition } = parseInput(caseTypeSchema, caseTypeBody(form), 'case type');
    await defineCaseType(c.env.DB, c.var.actor, { ...definition, id: ID });
    return c.redirect(`/admin/casetypes/${encodeURIComponent(ID)}`, 303);
  } catch (error) {
    const refusal = formError(error);
    return render(
      c,
      'New case type',
      <CaseTypeEditor
        form={form}
        operators={await allOperators(c)}
        editing={false}
        message={refusal.message}
        fields={refusal.fields}
      />,
      { section: 'casetypes', status: 400 },
    );
  }
});

consoleRoutes.get('/casetypes/:id', async (c) => {
  const caseType = await getCaseType(c.env.DB, c.req.param('id'));
  if (!caseType) throw caseTypeNotFound(404, c.req.param('id'));
  return render(c, caseType.name, <CaseTypeDetail caseType={caseType} />, { section: 'casetypes' });
});

consoleRoutes.get('/casetypes/:id/edit', async (c) => {
  const [caseType, operators] = await Promise.all([
    getCaseType(c.env.DB, c.req.param('id')),
    allOperators(c),
  ]);
  if (!caseType) throw caseTypeNotFound(404, c.req.param('id'));
  return render(
    c,
    caseType.name,
    <CaseTypeEditor form={caseTypeForm(caseType)} operators={operators} editing />,
    { section: 'casetypes' },
  );
});

consoleRoutes.post('/casetypes/:id/edit', async (c) => {
  const id = c.req.param('id');
  const form = readCaseTypeForm(await readFormParams(c), id);
  try {
    const { ID: _id, ...definition } = parseInput(caseTypeSchema, caseTypeBody(form), 'case type');
    await redefineCaseType(c.env.DB, c.var.actor, { ...definition, id }, null);
    return c.redirect(`/admin/casetypes/${encodeURIComponent(id)}`, 303);
  } catch (error) {
    const refusal = formError(error);
    return render(
      c,
      id,
      <CaseTypeEditor
        form={form}
        operators={await allOperators(c)}
        editing
        message={refusal.message}
        fields={refusal.fields}
      />,
      { section: 'casetypes', status: 400 },
    );
  }
});

// Cases.
consoleRoutes.get('/cases', async (c) => {
  const { cursor } = parseInput(
    z.object({ cursor: z.coerce.number().int().positive().optional() }),
    { cursor: c.req.query('cursor') || undefined },
    'query',
  );
  const search = {
    caseTypeId: c.req.query('caseType') || undefined,
    status: c.req.query('status') || undefined,
    id: c.req.query('id')?.trim().slice(0, 200) || undefined,
  };
  const [page, caseTypes] = await Promise.all([
    searchCases(c.env.DB, search, 100, cursor),
    listCaseTypes(c.env.DB),
  ]);
  return render(
    c,
    'Cases',
    <CaseList cases={page.items} caseTypes={caseTypes} search={search} next={page.nextCursor} />,
    {
      section: 'cases',
    },
  );
});

consoleRoutes.get('/cases/:id', async (c) => {
  const id = c.req.param('id');
  const db = c.env.DB;
  // The case with its type (one batch) and its history, at once: one round trip.
  const [results, history] = await Promise.all([
    db.batch(caseReads(db, id)).then((batch) => batch.map((result) => result.results)),
    listAuditEvents(db, 500, undefined, { targetType: 'case', targetId: id }),
  ]);
  const found = caseReadsFrom(results);
  if (!found) throw caseNotFound(id);
  const { item, caseType } = found;
  return render(
    c,
    item.id,
    <CaseDetail item={item} caseType={caseType} history={[...history.items].reverse()} />,
    {
      section: 'cases',
    },
  );
});

// Audit log.
consoleRoutes.get('/audit', async (c) => {
  const { cursor } = parseInput(
    z.object({ cursor: z.coerce.number().int().positive().optional() }),
    { cursor: c.req.query('cursor') || undefined },
    'query',
  );
  const filter = {
    targetType: c.req.query('targetType') || undefined,
    action: c.req.query('action')?.trim().slice(0, 100) || undefined,
    search: c.req.query('q')?.trim().slice(0, 200) || undefined,
  };
  const page = await listAuditEvents(c.env.DB, 100, cursor, filter);
  return render(
    c,
    'Audit log',
    <AuditLog events={page.items} filter={filter} next={page.nextCursor} />,
    {
      section: 'audit',
    },
  );
});

// Any other console path: an HTML 404 (the JSON API's own paths keep its JSON 404).
consoleRoutes.all('*', (c) =>
  /^\/admin\/v1(\/|$)/.test(c.req.path)
    ? c.notFound()
    : render(c, 'Not found', <ErrorPage status={404} message="There is no such page." />, {
        status: 404,
      }),
);

/** `GET /`: what this server is, and where to go. */
export const landing = new Hono<AppEnv>()
  .use('*', securityHeaders)
  .get('/', (c) => render(c, 'edgecase', <Landing issuer={issuerOf(c)} />, { signedIn: false }));
