import type { ClientJwk } from '../crypto/client-keys';
import * as z from '../zod';

/** The API's scopes; an operator's privileges use the same names. */
export const SCOPES = [
  'casetypes:read',
  'cases:read',
  'cases:create',
  'cases:update',
  'assignments:read',
  'assignments:perform',
  'data:read',
  'data:write',
] as const;
export const scopeSchema = z.enum(SCOPES);
export type Scope = z.infer<typeof scopeSchema>;

/** Pega's pyMaxRecords: a list (cases, a worklist, a data view's page) holds at most this many. */
export const MAX_RECORDS = 500;

export const ACCESS_TOKEN_LIFETIME = { min: 60, max: 86_400, default: 3_600 } as const;

export interface AccessGroup {
  name: string;
  privileges: Scope[];
  /** Case type IDs, or `['*']` for all. */
  caseTypes: string[];
  caseVisibility: 'own' | 'all';
}

export interface Operator {
  id: string;
  name: string;
  accessGroup: AccessGroup;
  createdAt: string;
  updatedAt: string;
  /** Raised by every change: the admin API's ETag. */
  version: number;
}

/**
 * How a client authenticates: a shared secret, a JWT signed by its key, or its TLS client
 * certificate (a CA-issued one by subject DN, or a self-signed one by fingerprint).
 */
export type ClientAuthMethod =
  | 'client_secret'
  | 'private_key_jwt'
  | 'tls_client_auth'
  | 'self_signed_tls_client_auth';

/** What identifies an mTLS client's certificate. */
export interface TlsClientAuth {
  /** tls_client_auth: the subject DN its CA-verified certificate must have. */
  subjectDn?: string | undefined;
  /** self_signed_tls_client_auth: the certificate's SHA-256 fingerprint (hex, lower case). */
  sha256?: string | undefined;
}

export interface Client {
  id: string;
  name: string;
  description: string;
  operatorId: string;
  accessTokenLifetimeSeconds: number;
  scopes: Scope[];
  enabled: boolean;
  /** Raised on secret regeneration and revoke-tokens: older tokens are dead. */
  tokenGeneration: number;
  /** Token issuance quota per clock hour; null = unlimited. */
  tokensPerHour: number | null;
  secretUpdatedAt: string;
  /** While a rotated-out secret is in its grace period: until when it still works. */
  previousSecretExpiresAt: string | null;
  authMethod: ClientAuthMethod;
  /** private_key_jwt: the public keys its assertions may be signed with. */
  jwks: ClientJwk[] | null;
  /** Every token request must carry a DPoP proof: its tokens are all key-bound. */
  dpopBoundAccessTokens: boolean;
  /** mTLS clients: their certificate. */
  tlsClientAuth: TlsClientAuth | null;
  createdAt: string;
  updatedAt: string;
  /** Raised by every change: the admin API's ETag. */
  version: number;
}

/** The editable fields of a client, as a PATCH sends them: undefined = not sent. */
export interface ClientChanges {
  name?: string | undefined;
  description?: string | undefined;
  accessTokenLifetimeSeconds?: number | undefined;
  scopes?: Scope[] | undefined;
  enabled?: boolean | undefined;
  /** null removes the quota. */
  tokensPerHour?: number | null | undefined;
  authMethod?: ClientAuthMethod | undefined;
  jwks?: ClientJwk[] | null | undefined;
  dpopBoundAccessTokens?: boolean | undefined;
  tlsClientAuth?: TlsClientAuth | null | undefined;
}

/** Who made an admin change, as the audit log names them. */
export interface Actor {
  id: string;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | undefined;
}

export const FIELD_TYPES = ['string', 'number', 'boolean', 'date'] as const;

/**
 * Whether a name is one this service puts beside a case's own fields: in v2's
 * `caseInfo.content` (`classID`, `pzInsKey`, `pyID`, `pyLabel`, `pyStatusWork`, `pyViewName`),
 * v1's `content` (`pxObjClass`) and the columns of every data view (`pxCreateOperator`,
 * `pxUrgencyAssign`, ...). Pega keeps every `px`, `py` and `pz` property for itself, and so does
 * this service: no field may take such a name, so no field can shadow a system value.
 */
export const isSystemName = (name: string) => name === 'classID' || /^p[xyz][A-Z]/.test(name);

export interface FieldDefinition {
  name: string;
  /** Shown on forms; the name when absent. */
  label?: string | undefined;
  type: (typeof FIELD_TYPES)[number];
  /** Required to create, where the starting process requiresFieldsToCreate. */
  required: boolean;
  maxLength?: number | undefined;
  enum?: string[] | undefined;
  /** Kept in an index (`case_values`): data view filters on it read what they match. */
  queryable?: boolean | undefined;
  /** A dropdown of a data type's records: its list view, the value field, the field shown. */
  dataSource?: { dataView: string; value: string; text?: string | undefined } | undefined;
}

export interface StartingProcess {
  ID: string;
  name: string;
  /** Whether creating a case needs its required fields (Pega's requiresFieldsToCreate). */
  requiresFieldsToCreate?: boolean | undefined;
}

/** One step of a case type's flow: one assignment, with the form its flow action shows. */
export interface FlowStep {
  ID: string;
  name: string;
  instructions: string;
  /** The fields its form collects, by name; `required` is enforced when the step is submitted. */
  fields: { name: string; required: boolean }[];
  action: { ID: string; name: string };
  /** An operator ID; absent: the case's creator. */
  routeTo?: string | undefined;
  /**
   * The next screen of the step before it: one assignment across both, with Next and Previous
   * (a multi-step form, DX case model §2). Routed as that step is, in the same stage.
   */
  nextScreen?: boolean | undefined;
}

/** An optional process (DX case model §0): one step of its own, started on a case as a further assignment. */
export interface OptionalProcess {
  ID: string;
  name: string;
  /** The stage it is offered in; absent: case-wide. */
  stage?: string | undefined;
  step: FlowStep;
}

/**
 * A stage of a case type's life cycle (DX case model §0): the flow's steps it runs, by ID, in
 * flow order. Primary stages run in order; an alternate stage is entered only by a stage move.
 * The last primary stage and every alternate stage resolve the case, with `resolutionStatus`
 * (default `Resolved-Completed`), when their last step completes, or on entry with no steps.
 */
/** A role participants of a case take; `single`: one participant at most holds it. */
export interface ParticipantRole {
  ID: string;
  name: string;
  single?: boolean | undefined;
}

/** A data type (DX case model §0): a class whose records are keyed by one of its fields. */
export interface DataType {
  id: string;
  name: string;
  description: string;
  keyField: string;
  fields: FieldDefinition[];
  createdAt: string;
  updatedAt: string;
  version: number;
}

/** A record of a data type: its fields' values, keyed by the key field's. */
export interface DataRecord {
  dataTypeId: string;
  key: string;
  content: CaseContent;
  createdBy: string;
  createdAt: string;
  updatedBy: string;
  updatedAt: string;
  version: number;
}

export interface StageDefinition {
  ID: string;
  name: string;
  type: 'Primary' | 'Alternate';
  resolutionStatus?: string | undefined;
  steps: string[];
}

export interface CaseType {
  id: string;
  name: string;
  idPrefix: string;
  startingProcesses: StartingProcess[];
  fields: FieldDefinition[];
  flow: FlowStep[];
  /** Absent: one primary stage per step, named after it (the migration rule). */
  stages?: StageDefinition[] | undefined;
  /** Optional processes a case may start: case-wide, or while `stage` is active. */
  processes?: OptionalProcess[] | undefined;
  /** The roles a case's participants take (DX case model §0). */
  participantRoles?: ParticipantRole[] | undefined;
  createdAt: string;
  updatedAt: string;
  /** Raised by every change: the admin API's ETag. */
  version: number;
}

/** Pega's work statuses as this service uses them. */
export const CASE_STATUS = { new: 'New', open: 'Open', resolved: 'Resolved-Completed' } as const;
export type CaseContent = Record<string, string | number | boolean>;

export interface Case {
  seq: number;
  id: string;
  caseTypeId: string;
  /** The case type's display name (Pega's `name` on a case). */
  caseTypeName: string;
  status: string;
  urgency: number;
  content: CaseContent;
  parentCaseId: string | null;
  createdBy: string;
  createdByClient: string;
  owner: string;
  lastUpdatedBy: string;
  createdAt: string;
  updatedAt: string;
  version: number;
  /** The starting process it was created by (pyStartCase). */
  processId: string;
  /** The flow step of its open assignment; null when it has none (resolved). */
  stepIndex: number | null;
  /** The operator the open assignment is routed to. */
  assignedTo: string | null;
  assignedAt: string | null;
  /**
   * Its other open assignments, beside the main flow's: optional processes started, and steps
   * a stage move left open (`cleanupProcesses=false`). None once resolved.
   */
  otherAssignments: OtherAssignment[];
  /** Whether the operator it was read for follows it (DX `caseInfo.associations.follows`). */
  follows?: boolean;
}

/** An open assignment beside a case's main flow (DX case model §1). */
export interface OtherAssignment {
  /** Pega's key: `ASSIGN-WORKLIST <case ID>!<PROCESS>`, then `_1`, `_2`, ... */
  ID: string;
  /** The optional process it runs, or the case's starting process for a step left open. */
  processId: string;
  /** Its step: the optional process's, or the flow step left open. */
  stepId: string;
  assignedTo: string;
  assignedAt: string;
}

/** What a bearer request knows of its client (no secret's hash, key or description). */
export type PrincipalClient = Pick<
  Client,
  'id' | 'operatorId' | 'scopes' | 'enabled' | 'tokenGeneration' | 'dpopBoundAccessTokens'
>;
/** Who a bearer token speaks for, as the case API sees it. */
export interface Principal {
  client: PrincipalClient;
  operator: Operator;
  /** The token's scopes that the operator still holds as privileges. */
  scopes: Scope[];
  /** The client's token generation the token was issued at (guards writes). */
  tokenGeneration: number;
  /** The token's ID (`jti`): a write holds only while it is not revoked. */
  tokenId: string;
}
