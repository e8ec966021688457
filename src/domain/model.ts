import { z } from 'zod';

/** The API's scopes; an operator's privileges use the same names. */
export const SCOPES = ['casetypes:read', 'cases:read', 'cases:create', 'cases:update'] as const;
export const scopeSchema = z.enum(SCOPES);
export type Scope = z.infer<typeof scopeSchema>;

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

export interface FieldDefinition {
  name: string;
  type: (typeof FIELD_TYPES)[number];
  required: boolean;
  maxLength?: number | undefined;
  enum?: string[] | undefined;
}

export interface StartingProcess {
  ID: string;
  name: string;
}

export interface CaseType {
  id: string;
  name: string;
  idPrefix: string;
  startingProcesses: StartingProcess[];
  fields: FieldDefinition[];
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
}

/** Who a bearer token speaks for, as the case API sees it. */
export interface Principal {
  client: Client;
  operator: Operator;
  /** The token's scopes that the operator still holds as privileges. */
  scopes: Scope[];
}
