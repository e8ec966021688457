import {
  type ClientInput,
  changeClient,
  listClients,
  previousSecretInGrace,
  regenerateClientSecret,
  registerClient,
  removeClient,
  requireClient,
  revokeClientTokens,
  type TokenRecords,
} from '../domain/clients';
import type { Client, ClientAuthMethod, ClientChanges } from '../domain/model';
import { type AppContext, inBackground, issuerOf } from '../http/context';
import { etagOf, expectedVersions } from '../http/etag';
import type { Input } from '../http/operations';
import { parseInput } from '../http/validation';
import { oauthEndpoints } from '../oauth/endpoints';
import type * as z from '../zod';
import {
  pageQuerySchema,
  type regenerateSecretSchema,
  type registerClientSchema,
  type updateClientSchema,
} from './schemas';

/** RFC 7591's method names as stored: both secret methods are one (either is accepted). */
const authMethodOf = (method: string | undefined): ClientAuthMethod | undefined =>
  method === undefined
    ? undefined
    : method === 'client_secret_basic' || method === 'client_secret_post'
      ? 'client_secret'
      : (method as ClientAuthMethod);

/** An mTLS client's certificate, from the fields that name it; undefined when neither is sent. */
const tlsOf = (body: { tlsClientAuthSubjectDn?: string; tlsClientCertificateSha256?: string }) =>
  body.tlsClientAuthSubjectDn === undefined && body.tlsClientCertificateSha256 === undefined
    ? undefined
    : { subjectDn: body.tlsClientAuthSubjectDn, sha256: body.tlsClientCertificateSha256 };

/** A registration as the API and the console accept it, in the domain's terms. */
export const registrationInput = (body: z.infer<typeof registerClientSchema>): ClientInput => ({
  authMethod: authMethodOf(body.tokenEndpointAuthMethod),
  jwks: body.jwks?.keys,
  dpopBoundAccessTokens: body.dpopBoundAccessTokens,
  tlsClientAuth: tlsOf(body),
  name: body.name,
  description: body.description,
  operatorId: body.operatorID,
  accessTokenLifetimeSeconds: body.accessTokenLifetime,
  scopes: body.scopes,
  tokensPerHour: body.tokensPerHour,
});

/** A PATCH as the API and the console accept it, in the domain's terms. */
export const changesInput = (body: z.infer<typeof updateClientSchema>): ClientChanges => ({
  authMethod: body.tokenEndpointAuthMethod && authMethodOf(body.tokenEndpointAuthMethod),
  jwks: body.jwks?.keys,
  dpopBoundAccessTokens: body.dpopBoundAccessTokens,
  tlsClientAuth: tlsOf(body),
  name: body.name,
  description: body.description,
  accessTokenLifetimeSeconds: body.accessTokenLifetime,
  scopes: body.scopes,
  enabled: body.enabled,
  tokensPerHour: body.tokensPerHour,
});

/** The client's KV token records, deleted after the answer (waitUntil); the console's too. */
export const tokenRecords = (c: AppContext): TokenRecords => ({
  kv: c.env.TOKENS,
  defer: inBackground(c),
});

/** A client as the admin API shows it: never the secret, which exists only as a hash. */
function clientView(c: AppContext, client: Client) {
  return {
    clientID: client.id,
    name: client.name,
    description: client.description,
    operatorID: client.operatorId,
    accessTokenLifetime: client.accessTokenLifetimeSeconds,
    scopes: client.scopes,
    enabled: client.enabled,
    tokensPerHour: client.tokensPerHour,
    secretUpdatedAt: client.secretUpdatedAt,
    previousSecretValidUntil: previousSecretInGrace(client) ? client.previousSecretExpiresAt : null,
    tokenEndpointAuthMethod:
      client.authMethod === 'client_secret' ? 'client_secret_basic' : client.authMethod,
    ...(client.tlsClientAuth?.subjectDn && {
      tlsClientAuthSubjectDn: client.tlsClientAuth.subjectDn,
    }),
    ...(client.tlsClientAuth?.sha256 && {
      tlsClientCertificateSha256: client.tlsClientAuth.sha256,
    }),
    ...(client.jwks && { jwks: { keys: client.jwks } }),
    dpopBoundAccessTokens: client.dpopBoundAccessTokens,
    createdAt: client.createdAt,
    updatedAt: client.updatedAt,
    endpoints: oauthEndpoints(issuerOf(c)),
  };
}

export async function registerClientHandler(
  c: AppContext,
  { body }: Input<undefined, z.infer<typeof registerClientSchema>, undefined>,
) {
  const { client, clientSecret } = await registerClient(
    c.env.DB,
    c.var.actor,
    registrationInput(body),
  );
  c.header('Location', `/admin/v1/clients/${client.id}`);
  c.header('ETag', etagOf(client.version));
  return c.json({ ...clientView(c, client), ...(clientSecret && { clientSecret }) }, 201);
}

export async function listClientsHandler(c: AppContext) {
  const query = parseInput(pageQuerySchema, c.req.query(), 'query');
  const page = await listClients(c.env.DB, query.limit, query.cursor);
  return c.json({
    clients: page.items.map((client) => clientView(c, client)),
    ...(page.nextCursor && { nextCursor: page.nextCursor }),
  });
}

export async function getClientHandler(c: AppContext) {
  const client = await requireClient(c.env.DB, c.req.param('id') as string);
  c.header('ETag', etagOf(client.version));
  return c.json(clientView(c, client));
}

export async function updateClientHandler(
  c: AppContext,
  { body }: Input<undefined, z.infer<typeof updateClientSchema>, undefined>,
) {
  const { client, clientSecret } = await changeClient(
    c.env.DB,
    tokenRecords(c),
    c.var.actor,
    c.req.param('id') as string,
    changesInput(body),
    expectedVersions(c.req.header('If-Match')),
  );
  c.header('ETag', etagOf(client.version));
  // Switched back to a secret: the new one, this once.
  return c.json({ ...clientView(c, client), ...(clientSecret && { clientSecret }) });
}

export async function deleteClientHandler(c: AppContext) {
  const expected = expectedVersions(c.req.header('If-Match'));
  await removeClient(c.env.DB, tokenRecords(c), c.var.actor, c.req.param('id') as string, expected);
  return c.body(null, 204);
}

export async function regenerateSecretHandler(
  c: AppContext,
  { body: { graceSeconds } }: Input<undefined, z.infer<typeof regenerateSecretSchema>, undefined>,
) {
  // No body regenerates without grace, as before graceSeconds existed.
  const { client, clientSecret } = await regenerateClientSecret(
    c.env.DB,
    tokenRecords(c),
    c.var.actor,
    c.req.param('id') as string,
    graceSeconds,
  );
  c.header('ETag', etagOf(client.version));
  return c.json({ ...clientView(c, client), clientSecret });
}

export async function revokeTokensHandler(c: AppContext) {
  const id = c.req.param('id') as string;
  const client = await revokeClientTokens(c.env.DB, tokenRecords(c), c.var.actor, id);
  c.header('ETag', etagOf(client.version));
  // Every token issued before this moment is refused from now on.
  return c.json({ clientID: id, revokedAt: client.updatedAt });
}
