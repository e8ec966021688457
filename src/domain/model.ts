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
  secretUpdatedAt: string;
  createdAt: string;
  updatedAt: string;
}

/** Who made an admin change, as the audit log names them. */
export interface Actor {
  id: string;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | undefined;
}
