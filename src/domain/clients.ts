// Longer than 300 lines on purpose: a client registration's whole life (register, change, rotate or regenerate its secret, revoke its tokens, delete) under one set of rules, each change with its audit entry.
import { type ClientJwk, unusableKeys } from '../crypto/client-keys';
import {
  hashSecret,
  newClientId,
  newClientSecret,
  UNMATCHABLE_SECRET_HASH,
} from '../crypto/secrets';
import { type FieldIssue, invalidRequest, notFound } from '../errors';
import { applyAudited } from '../store/audit';
import {
  type ClientRow,
  clientFromRow,
  deleteClient,
  getClient,
  insertClient,
  patchClient,
  raiseTokenGeneration,
  replaceSecret,
  rotateSecret,
} from '../store/clients';
import { isConstraintViolation } from '../store/errors';
import { getOperator } from '../store/operators';
import { deleteClientTokens } from '../store/tokens';
import {
  ACCESS_TOKEN_LIFETIME,
  type Actor,
  type Client,
  type ClientAuthMethod,
  type ClientChanges,
  type Operator,
  type Scope,
  type TlsClientAuth,
} from './model';
import { changedRow } from './versioned';

export interface ClientInput {
  dpopBoundAccessTokens?: boolean | undefined;
  tlsClientAuth?: TlsClientAuth | undefined;
  authMethod?: ClientAuthMethod | undefined;
  jwks?: ClientJwk[] | undefined;
  name: string;
  description?: string | undefined;
  operatorId: string;
  accessTokenLifetimeSeconds?: number | undefined;
  scopes?: Scope[] | undefined;
  tokensPerHour?: number | null | undefined;
}

/**
 * Tokens per hour for a client registered without `tokensPerHour`: a well-behaved client needs
 * a few (a token lasts an hour by default), and every token is a KV record until it expires.
 * `null` at registration or in a PATCH removes the quota.
 */
export const DEFAULT_TOKENS_PER_HOUR = 1000;

/** Secret rotation grace: at most 7 days. */
export const MAX_SECRET_GRACE_SECONDS = 7 * 24 * 60 * 60;

/** Whether the client's rotated-out secret still works at `nowMs`. */
export function previousSecretInGrace(client: Client, nowMs = Date.now()): boolean {
  return (
    client.previousSecretExpiresAt !== null && Date.parse(client.previousSecretExpiresAt) > nowMs
  );
}

/** A client's KV token records, and how to delete them after the answer. */
export interface TokenRecords {
  kv: KVNamespace;
  /** Runs a task after the answer is sent (waitUntil). */
  defer(task: Promise<unknown>): void;
}

/**
 * Deletes a client's KV token records after a committed D1 change that killed its tokens. It is
 * cleanup: the change (a raised token generation, a disabled or deleted client) already
 * refuses those tokens wherever D1 is read, so it runs after the answer, in bounded pages
 * (deleteClientTokens), and a KV failure is logged, never turned into an error for a change
 * that is done (the caller would retry a secret regeneration and lose the first secret).
 */
function deleteTokenRecords(records: TokenRecords, clientId: string): void {
  records.defer(
    deleteClientTokens(records.kv, clientId).then(
      ({ deleted, complete }) => {
        if (!complete) {
          console.warn(
            `edgecase: deleted ${deleted} KV token records of client ${clientId}; the rest expire with their TTL`,
          );
        }
      },
      (error) =>
        console.error(
          `edgecase: could not delete the KV token records of client ${clientId}`,
          error,
        ),
    ),
  );
}

const clientNotFound = (id: string) => notFound(`Client ${id} does not exist.`);

export async function requireClient(db: D1Database, id: string): Promise<Client> {
  const client = await getClient(db, id);
  if (!client) throw clientNotFound(id);
  return client;
}

/** A client may hold only scopes its operator has as privileges (least privilege). */
function checkScopesWithinPrivileges(scopes: Scope[], operator: Operator): void {
  const outside = scopes.filter((scope) => !operator.accessGroup.privileges.includes(scope));
  if (outside.length > 0) {
    throw invalidRequest('The request body is invalid.', [
      {
        path: '.scopes',
        message: `Operator ${operator.id} does not hold: ${outside.join(', ')}.`,
      },
    ]);
  }
}

/**
 * Registers a client. A secret-based client's plain secret is returned here once and stored
 * only as a hash; a private_key_jwt client gets no secret (its hash is one nobody holds).
 */
export async function registerClient(
  db: D1Database,
  actor: Actor,
  input: ClientInput,
): Promise<{ client: Client; clientSecret: string | null }> {
  const operator = await getOperator(db, input.operatorId);
  if (!operator) {
    throw invalidRequest('The request body is invalid.', [
      { path: '.operatorID', message: `Operator ${input.operatorId} does not exist.` },
    ]);
  }
  const scopes = input.scopes ?? operator.accessGroup.privileges;
  checkScopesWithinPrivileges(scopes, operator);
  const authMethod = input.authMethod ?? 'client_secret';
  const credentialIssues = [
    ...credentialsFor(authMethod, { jwks: input.jwks, tlsClientAuth: input.tlsClientAuth }),
    ...(await unusableKeys(input.jwks ?? [])),
  ];
  if (credentialIssues.length > 0)
    throw invalidRequest('The request body is invalid.', credentialIssues);

  const at = new Date().toISOString();
  const clientSecret = authMethod === 'client_secret' ? newClientSecret() : null;
  const client: Client = {
    id: newClientId(),
    name: input.name,
    description: input.description ?? '',
    operatorId: operator.id,
    accessTokenLifetimeSeconds: input.accessTokenLifetimeSeconds ?? ACCESS_TOKEN_LIFETIME.default,
    scopes,
    enabled: true,
    tokenGeneration: 0,
    tokensPerHour:
      input.tokensPerHour === undefined ? DEFAULT_TOKENS_PER_HOUR : input.tokensPerHour,
    secretUpdatedAt: at,
    previousSecretExpiresAt: null,
    createdAt: at,
    updatedAt: at,
    version: 1,
    authMethod,
    jwks: authMethod === 'private_key_jwt' ? (input.jwks ?? null) : null,
    dpopBoundAccessTokens: input.dpopBoundAccessTokens ?? false,
    tlsClientAuth: input.tlsClientAuth ?? null,
  };
  const secretHash = clientSecret ? await hashSecret(clientSecret) : UNMATCHABLE_SECRET_HASH;
  try {
    await applyAudited(db, insertClient(db, client, secretHash), {
      at,
      actor,
      action: 'client.create',
      targetType: 'client',
      targetId: client.id,
      detail: {
        name: client.name,
        operatorID: client.operatorId,
        scopes: client.scopes,
        accessTokenLifetime: client.accessTokenLifetimeSeconds,
        authMethod,
        ...(client.jwks && { keys: client.jwks.map((key) => key.kid ?? key.alg) }),
      },
    });
  } catch (error) {
    // The operator was deleted between the read and the insert.
    if (isConstraintViolation(error, 'FOREIGN KEY')) {
      throw invalidRequest('The request body is invalid.', [
        { path: '.operatorID', message: `Operator ${input.operatorId} does not exist.` },
      ]);
    }
    throw error;
  }
  return { client, clientSecret };
}

/**
 * Applies a PATCH: only the fields sent are written, in one statement that also checks If-Match
 * (`expected`), so a concurrent change is neither undone nor undoes this one. Disabling a
 * client also kills its tokens: the generation goes up in the same statement (immediate
 * wherever D1 is read) and its KV records are deleted (everywhere within KV's propagation).
 */
export async function changeClient(
  db: D1Database,
  records: TokenRecords,
  actor: Actor,
  id: string,
  changes: ClientChanges,
  expected: number[] | null,
): Promise<{ client: Client; clientSecret: string | null }> {
  const needsCurrent =
    changes.scopes || changes.authMethod || changes.jwks || changes.tlsClientAuth !== undefined;
  const current = needsCurrent ? await requireClient(db, id) : undefined;
  if (changes.scopes && current) {
    const operator = await getOperator(db, current.operatorId);
    if (operator) checkScopesWithinPrivileges(changes.scopes, operator);
  }
  const { secret, patch } = await authMethodChange(current, changes);
  const at = new Date().toISOString();
  const { jwks, ...auditable } = patch;
  const rows = await applyAudited(db, patchClient(db, id, patch, at, expected, secret?.hash), {
    at,
    actor,
    action: 'client.update',
    targetType: 'client',
    targetId: id,
    // Keys by their IDs only; never a secret.
    detail: { ...auditable, ...(jwks && { keys: jwks.map((key) => key.kid ?? key.alg) }) },
  });
  const client = await clientChanged(db, id, rows);
  if (changes.enabled === false) deleteTokenRecords(records, id);
  return { client, clientSecret: secret?.plain ?? null };
}

/**
 * What each authentication method needs, and nothing that belongs to another: keys for
 * private_key_jwt, the subject DN for tls_client_auth, the fingerprint for
 * self_signed_tls_client_auth, none of these for a secret.
 */
function credentialsFor(
  method: ClientAuthMethod,
  given: {
    jwks?: ClientJwk[] | null | undefined;
    tlsClientAuth?: TlsClientAuth | null | undefined;
  },
): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const needs = {
    jwks: method === 'private_key_jwt',
    subjectDn: method === 'tls_client_auth',
    sha256: method === 'self_signed_tls_client_auth',
  };
  const has = {
    jwks: Boolean(given.jwks),
    subjectDn: Boolean(given.tlsClientAuth?.subjectDn),
    sha256: Boolean(given.tlsClientAuth?.sha256),
  };
  const paths = {
    jwks: '.jwks',
    subjectDn: '.tlsClientAuthSubjectDn',
    sha256: '.tlsClientCertificateSha256',
  };
  for (const part of ['jwks', 'subjectDn', 'sha256'] as const) {
    if (needs[part] && !has[part])
      issues.push({ path: paths[part], message: `${method} needs it.` });
    if (!needs[part] && has[part])
      issues.push({ path: paths[part], message: `not for ${method}.` });
  }
  return issues;
}

/**
 * Switching a client's authentication method by PATCH: to keys or a certificate it needs them
 * (sent now, or registered before for that method) and its secret stops working; back to a
 * secret, it gets a new one (shown once) and its keys or certificate are forgotten. Keys alone
 * can be replaced on a key-based client; to roll them over with no outage, register old and
 * new together, then drop the old.
 */
async function authMethodChange(
  current: Client | undefined,
  changes: ClientChanges,
): Promise<{ patch: ClientChanges; secret?: { plain: string | null; hash: string } }> {
  const method = changes.authMethod ?? current?.authMethod ?? 'client_secret';
  const switching = changes.authMethod !== undefined && changes.authMethod !== current?.authMethod;
  const kept = !switching;
  const issues = credentialsFor(method, {
    jwks: changes.jwks !== undefined ? changes.jwks : kept ? current?.jwks : undefined,
    tlsClientAuth:
      changes.tlsClientAuth !== undefined
        ? changes.tlsClientAuth
        : kept
          ? current?.tlsClientAuth
          : undefined,
  });
  issues.push(...(await unusableKeys(changes.jwks ?? [])));
  if (issues.length > 0) throw invalidRequest('The request body is invalid.', issues);
  if (!switching) return { patch: changes };
  // The other methods' material goes with the switch.
  const cleared: ClientChanges = {
    ...changes,
    jwks: method === 'private_key_jwt' ? changes.jwks : null,
    tlsClientAuth: method.endsWith('tls_client_auth') ? changes.tlsClientAuth : null,
  };
  if (method !== 'client_secret') {
    // No secret to show: the hash is one nobody holds.
    return { patch: cleared, secret: { plain: null, hash: UNMATCHABLE_SECRET_HASH } };
  }
  const plain = newClientSecret();
  return { patch: cleared, secret: { plain, hash: await hashSecret(plain) } };
}

/** The client a versioned change returned, else 404 or 412 as the reason is. */
async function clientChanged(db: D1Database, id: string, rows: unknown[]): Promise<Client> {
  const row = await changedRow(rows, () => getClient(db, id), 'client', clientNotFound(id));
  return clientFromRow(row as ClientRow);
}

/**
 * Issues a new secret, returned once. Without grace the old secret stops working and every
 * token of the client is revoked. With `graceSeconds` the old secret keeps working that long
 * and live tokens are left alone, so clients can roll over without an outage.
 */
export async function regenerateClientSecret(
  db: D1Database,
  records: TokenRecords,
  actor: Actor,
  id: string,
  graceSeconds?: number,
): Promise<{ client: Client; clientSecret: string }> {
  if ((await requireClient(db, id)).authMethod !== 'client_secret') {
    throw invalidRequest(
      `Client ${id} authenticates with its keys or certificate, not a secret: switch it to a secret with a PATCH.`,
    );
  }
  const now = new Date();
  const at = now.toISOString();
  const clientSecret = newClientSecret();
  const secretHash = await hashSecret(clientSecret);
  const graceUntil = graceSeconds
    ? new Date(now.getTime() + graceSeconds * 1000).toISOString()
    : undefined;
  const rows = await applyAudited(
    db,
    graceUntil
      ? rotateSecret(db, id, secretHash, at, graceUntil)
      : replaceSecret(db, id, secretHash, at),
    {
      at,
      actor,
      action: 'client.secret.regenerate',
      targetType: 'client',
      targetId: id,
      detail: graceUntil ? { graceSeconds, previousSecretValidUntil: graceUntil } : {},
    },
  );
  const client = await clientChanged(db, id, rows);
  if (!graceUntil) deleteTokenRecords(records, id);
  return { client, clientSecret };
}

export async function revokeClientTokens(
  db: D1Database,
  records: TokenRecords,
  actor: Actor,
  id: string,
): Promise<Client> {
  const rows = await applyAudited(db, raiseTokenGeneration(db, id, new Date().toISOString()), {
    actor,
    action: 'client.tokens.revoke',
    targetType: 'client',
    targetId: id,
  });
  const client = await clientChanged(db, id, rows);
  deleteTokenRecords(records, id);
  return client;
}

export async function removeClient(
  db: D1Database,
  records: TokenRecords,
  actor: Actor,
  id: string,
  expected: number[] | null,
): Promise<void> {
  const rows = await applyAudited(db, deleteClient(db, id, expected), {
    actor,
    action: 'client.delete',
    targetType: 'client',
    targetId: id,
  });
  await changedRow(rows, () => getClient(db, id), 'client', clientNotFound(id));
  deleteTokenRecords(records, id);
}

export { clientAssertionRead } from '../store/client-assertions';
// What handlers read and write through this module, as store/ has it (docs/architecture.md:
// no handler imports store/).
export {
  type ClientCredentialsRecord,
  clientToAuthenticateRead,
  listClients,
  tokenPrincipalRead,
  tokenPrincipalWith,
} from '../store/clients';
