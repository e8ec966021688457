// Longer than 300 lines on purpose: every statement on the clients table (registration, the authentication and principal reads, versioned changes), as store/ keeps one module per table.
import type {
  Client,
  ClientAuthMethod,
  ClientChanges,
  Operator,
  Page,
  PrincipalClient,
} from '../domain/model';
import { parseJsonColumn } from './json';
import { containing } from './like';
import { OPERATOR_COLUMNS, type OperatorRow, operatorFromRow } from './operators';
import { oneRow, oneStatement, type Reads, type RowQuery } from './reads';
import { versionedUpdate, versionMatches } from './versioned';

export interface ClientRow {
  id: string;
  name: string;
  description: string;
  operator_id: string;
  access_token_lifetime: number;
  scopes: string;
  enabled: number;
  token_generation: number;
  tokens_per_hour: number | null;
  secret_updated_at: string;
  previous_secret_expires_at: string | null;
  created_at: string;
  updated_at: string;
  version: number;
  auth_method: ClientAuthMethod;
  jwks: string | null;
  dpop_bound: number;
  tls_subject_dn: string | null;
  tls_sha256: string | null;
}

const CLIENT_COLUMNS = `id, name, description, operator_id, access_token_lifetime, scopes, enabled,
  token_generation, tokens_per_hour, secret_updated_at, previous_secret_expires_at, created_at,
  updated_at, version, auth_method, jwks, dpop_bound, tls_subject_dn, tls_sha256`;

export function clientFromRow(row: ClientRow): Client {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    operatorId: row.operator_id,
    accessTokenLifetimeSeconds: row.access_token_lifetime,
    scopes: parseJsonColumn(row.scopes),
    enabled: row.enabled === 1,
    tokenGeneration: row.token_generation,
    tokensPerHour: row.tokens_per_hour,
    secretUpdatedAt: row.secret_updated_at,
    previousSecretExpiresAt: row.previous_secret_expires_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    version: row.version,
    authMethod: row.auth_method,
    jwks: row.jwks === null ? null : parseJsonColumn(row.jwks),
    dpopBoundAccessTokens: row.dpop_bound === 1,
    tlsClientAuth:
      row.tls_subject_dn === null && row.tls_sha256 === null
        ? null
        : {
            ...(row.tls_subject_dn !== null && { subjectDn: row.tls_subject_dn }),
            ...(row.tls_sha256 !== null && { sha256: row.tls_sha256 }),
          },
  };
}

export async function getClient(db: D1Database, id: string): Promise<Client | null> {
  const row = await db
    .prepare(`SELECT ${CLIENT_COLUMNS} FROM clients WHERE id = ?`)
    .bind(id)
    .first<ClientRow>();
  return row ? clientFromRow(row) : null;
}

/** What a bearer token stands for: what it needs of its client, and the client's operator. */
export interface TokenPrincipalRecord {
  client: PrincipalClient;
  operator: Operator;
}

export interface ClientCredentialsRecord {
  client: Client;
  operator: Operator;
  secretHash: string;
  /** A rotated-out secret's hash, while `client.previousSecretExpiresAt` is ahead. */
  previousSecretHash: string | null;
}

const OPERATOR_PREFIX = 'op_';
const PREFIXED_OPERATOR_COLUMNS = OPERATOR_COLUMNS.split(', ')
  .map((column) => `o.${column} AS ${OPERATOR_PREFIX}${column}`)
  .join(', ');

type AuthenticationRow = ClientRow & {
  secret_hash: string;
  previous_secret_hash: string | null;
} & Record<string, unknown>;

/** Everything client authentication needs of a client: it and its operator. */
const CLIENT_WITH_OPERATOR = `c.*, ${PREFIXED_OPERATOR_COLUMNS}`;

/**
 * What a bearer needs of its client (`pc_`) and its operator (`op_`), as plain columns beside
 * whatever the request reads: a bearer reads no secret's hash, key or description (#28: it
 * read the whole client, hashes included, as one JSON column).
 */
const PRINCIPAL_COLUMNS = `c.id AS pc_id, c.operator_id AS pc_operator_id, c.scopes AS pc_scopes,
  c.enabled AS pc_enabled, c.token_generation AS pc_token_generation,
  c.dpop_bound AS pc_dpop_bound, ${PREFIXED_OPERATOR_COLUMNS}`;

interface PrincipalRow {
  pc_id: string | null;
  pc_operator_id: string;
  pc_scopes: string;
  pc_enabled: number;
  pc_token_generation: number;
  pc_dpop_bound: number;
}

/** A row with PRINCIPAL_COLUMNS, or null when there was no client. */
function principalFrom(found: unknown): TokenPrincipalRecord | null {
  const row = found as (PrincipalRow & Record<string, unknown>) | undefined;
  if (!row || row.pc_id === null) return null;
  return {
    client: {
      id: row.pc_id,
      operatorId: row.pc_operator_id,
      scopes: parseJsonColumn(row.pc_scopes),
      enabled: row.pc_enabled === 1,
      tokenGeneration: row.pc_token_generation,
      dpopBoundAccessTokens: row.pc_dpop_bound === 1,
    },
    operator: operatorFrom(row),
  };
}

const OPERATOR_COLUMN_NAMES = OPERATOR_COLUMNS.split(', ');

/** The operator of a row with PREFIXED_OPERATOR_COLUMNS. */
const operatorFrom = (row: Record<string, unknown>) =>
  operatorFromRow(
    Object.fromEntries(
      OPERATOR_COLUMN_NAMES.map((column) => [column, row[`${OPERATOR_PREFIX}${column}`]]),
    ) as unknown as OperatorRow,
  );

/** Whether the token whose `jti` is the argument `parameter` was revoked. */
const revoked = (parameter: string) =>
  `EXISTS (SELECT 1 FROM revoked_tokens WHERE jti = ${parameter})`;

/**
 * What a bearer token stands for now, in one statement: its client with the client's
 * operator, and whether the token itself was revoked. No row: no such client.
 */
function tokenPrincipalStatement(db: D1Database, clientId: string, jti: string) {
  return db
    .prepare(
      `SELECT ${PRINCIPAL_COLUMNS},
         ${revoked('?')} AS token_revoked
       FROM clients c JOIN operators o ON o.id = c.operator_id WHERE c.id = ?`,
    )
    .bind(jti, clientId);
}

/** tokenPrincipalStatement, read by name: null when there is no such client. */
export const tokenPrincipalRead = (
  db: D1Database,
  clientId: string,
  jti: string,
): Reads<{ current: TokenPrincipalRecord; revoked: boolean } | null> =>
  oneStatement(tokenPrincipalStatement(db, clientId, jti), (rows) => {
    const current = principalFrom(rows[0]);
    if (!current) return null;
    return { current, revoked: (rows[0] as { token_revoked: number }).token_revoked === 1 };
  });

/**
 * What a bearer token stands for now and a read of at most one row, in one statement (#28: a
 * read was the principal's statement and the case's): the read's row with the principal's
 * prefixed columns beside it, whether or not the read found one.
 */
export function tokenPrincipalWith<T>(
  db: D1Database,
  clientId: string,
  jti: string,
  read: RowQuery<T>,
): Reads<{ standing: { current: TokenPrincipalRecord; revoked: boolean } | null; found: T }> {
  const n = read.args.length;
  return oneRow(db, {
    sql: `SELECT k.*, ${PRINCIPAL_COLUMNS}, ${revoked(`?${n + 2}`)} AS token_revoked__
      FROM (SELECT 1) LEFT JOIN (${read.sql}) k ON 1
        LEFT JOIN clients c ON c.id = ?${n + 1} LEFT JOIN operators o ON o.id = c.operator_id`,
    args: [...read.args, clientId, jti],
    from: (row) => {
      const current = principalFrom(row);
      return {
        standing: current ? { current, revoked: row?.token_revoked__ === 1 } : null,
        found: read.from(row),
      };
    },
  });
}

/**
 * Client authentication's one read: the client with its operator and the failure counts of
 * its throttle keys, in a row that is there whether the client is or not.
 */
function clientToAuthenticateStatement(
  db: D1Database,
  id: string,
  failureCounts: { sql: string; args: (string | number)[] },
) {
  return db
    .prepare(
      `SELECT ${CLIENT_WITH_OPERATOR}, ${failureCounts.sql} AS failure_counts
       FROM (SELECT 1) LEFT JOIN clients c ON c.id = ?
         LEFT JOIN operators o ON o.id = c.operator_id`,
    )
    .bind(...failureCounts.args, id);
}

/** clientToAuthenticateStatement, read by name: the client (or null) and the counts' JSON. */
export const clientToAuthenticateRead = (
  db: D1Database,
  id: string,
  failureCounts: { sql: string; args: (string | number)[] },
) =>
  oneStatement(clientToAuthenticateStatement(db, id, failureCounts), (rows) => {
    const row = rows[0] as { failure_counts?: string | null } | undefined;
    return { record: clientForAuthenticationFrom(row), failureCounts: row?.failure_counts ?? null };
  });

/** A row with CLIENT_WITH_OPERATOR's columns, or null when there was none (or no client). */
function clientForAuthenticationFrom(row: unknown): ClientCredentialsRecord | null {
  if (!row || (row as { id: string | null }).id === null) return null;
  const record = row as AuthenticationRow;
  return {
    client: clientFromRow(record),
    secretHash: record.secret_hash,
    previousSecretHash: record.previous_secret_hash,
    operator: operatorFrom(record),
  };
}

/** Clients by ID; `search` keeps those whose name or ID contains it. */
export async function listClients(
  db: D1Database,
  limit: number,
  afterId: string | undefined,
  search?: string | undefined,
): Promise<Page<Client>> {
  const pattern = search ? containing(search) : '%';
  const { results } = await db
    .prepare(
      `SELECT ${CLIENT_COLUMNS} FROM clients WHERE id > ?
         AND (name LIKE ? ESCAPE '\\' OR id LIKE ? ESCAPE '\\') ORDER BY id LIMIT ?`,
    )
    .bind(afterId ?? '', pattern, pattern, limit + 1)
    .all<ClientRow>();
  const items = results.slice(0, limit).map(clientFromRow);
  return { items, nextCursor: results.length > limit ? items.at(-1)?.id : undefined };
}

export function insertClient(db: D1Database, client: Client, secretHash: string) {
  return db
    .prepare(
      `INSERT INTO clients (${CLIENT_COLUMNS}, secret_hash)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .bind(
      client.id,
      client.name,
      client.description,
      client.operatorId,
      client.accessTokenLifetimeSeconds,
      JSON.stringify(client.scopes),
      client.enabled ? 1 : 0,
      client.tokenGeneration,
      client.tokensPerHour,
      client.secretUpdatedAt,
      client.previousSecretExpiresAt,
      client.createdAt,
      client.updatedAt,
      client.version,
      client.authMethod,
      client.jwks === null ? null : JSON.stringify(client.jwks),
      client.dpopBoundAccessTokens ? 1 : 0,
      client.tlsClientAuth?.subjectDn ?? null,
      client.tlsClientAuth?.sha256 ?? null,
      secretHash,
    );
}

/**
 * Writes only the fields sent, atomically with the If-Match check. Disabling an enabled client
 * raises its token generation in the same statement, so its tokens die with the change.
 */
export function patchClient(
  db: D1Database,
  id: string,
  patch: ClientChanges,
  at: string,
  expected: number[] | null,
  /** A new secret's hash (switching auth method): the previous secret goes with it. */
  secretHash?: string,
) {
  const enabled = patch.enabled === undefined ? undefined : patch.enabled ? 1 : 0;
  return versionedUpdate(
    db,
    'clients',
    id,
    {
      name: patch.name,
      description: patch.description,
      access_token_lifetime: patch.accessTokenLifetimeSeconds,
      scopes: patch.scopes && JSON.stringify(patch.scopes),
      tokens_per_hour: patch.tokensPerHour,
      auth_method: patch.authMethod,
      jwks: patch.jwks === undefined ? undefined : patch.jwks && JSON.stringify(patch.jwks),
      secret_hash: secretHash,
      dpop_bound:
        patch.dpopBoundAccessTokens === undefined ? undefined : patch.dpopBoundAccessTokens ? 1 : 0,
      tls_subject_dn:
        patch.tlsClientAuth === undefined ? undefined : (patch.tlsClientAuth?.subjectDn ?? null),
      tls_sha256:
        patch.tlsClientAuth === undefined ? undefined : (patch.tlsClientAuth?.sha256 ?? null),
      enabled,
      updated_at: at,
    },
    expected,
    [
      ...(secretHash === undefined
        ? []
        : [
            {
              sql: 'secret_updated_at = ?, previous_secret_hash = NULL, previous_secret_expires_at = NULL',
              args: [at],
            },
          ]),
      ...(enabled === undefined
        ? []
        : [
            // Reads the row as it was: raised only when this change is the one that disables.
            {
              sql: 'token_generation = token_generation + (enabled = 1 AND ? = 0)',
              args: [enabled],
            },
          ]),
    ],
  );
}

/** A new secret; the old one and every token die at once. */
export function replaceSecret(db: D1Database, id: string, secretHash: string, at: string) {
  return versionedUpdate(db, 'clients', id, { secret_hash: secretHash, updated_at: at }, null, [
    {
      sql: `secret_updated_at = ?, previous_secret_hash = NULL, previous_secret_expires_at = NULL,
        token_generation = token_generation + 1`,
      args: [at],
    },
  ]);
}

/** A new secret; the current one keeps working until `graceUntil`, and tokens live on. */
export function rotateSecret(
  db: D1Database,
  id: string,
  secretHash: string,
  at: string,
  graceUntil: string,
) {
  return versionedUpdate(db, 'clients', id, { updated_at: at }, null, [
    // Every right-hand side reads the row as it was: the previous hash is the current one.
    {
      sql: `previous_secret_hash = secret_hash, previous_secret_expires_at = ?, secret_hash = ?,
        secret_updated_at = ?`,
      args: [graceUntil, secretHash, at],
    },
  ]);
}

export function raiseTokenGeneration(db: D1Database, id: string, at: string) {
  return versionedUpdate(db, 'clients', id, { updated_at: at }, null, [
    { sql: 'token_generation = token_generation + 1', args: [] },
  ]);
}

export function deleteClient(db: D1Database, id: string, expected: number[] | null) {
  const condition = versionMatches(expected);
  return db
    .prepare(`DELETE FROM clients WHERE id = ? AND ${condition.sql} RETURNING id`)
    .bind(id, ...condition.args);
}
