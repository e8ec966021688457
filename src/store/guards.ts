import { VISIBLE_TO_OPERATOR } from './case-rows';

/**
 * The conditions a write carries in its own SQL, so that it happens only while what was
 * checked before it still holds: every write guard of the service is here.
 */

/** An SQL condition (with its arguments) that must hold for a write to happen. */
export interface WriteGuard {
  sql: string;
  args: (string | number)[];
}

/** Conditions every part of a write holds to, ANDed into one. */
export const allOf = (...guards: WriteGuard[]): WriteGuard => ({
  sql: guards.map((guard) => `(${guard.sql})`).join(' AND '),
  args: guards.flatMap((guard) => guard.args),
});

/** The case type is still at the version the content was validated against. */
export const caseTypeAt = (id: string, version: number): WriteGuard => ({
  sql: 'EXISTS (SELECT 1 FROM case_types WHERE id = ? AND version = ?)',
  args: [id, version],
});

/** The case exists and the operator may see it (VISIBLE_TO_OPERATOR). */
export const caseVisibleTo = (caseId: string, operatorId: string): WriteGuard => ({
  sql: `EXISTS (SELECT 1 FROM cases c WHERE c.id = ? AND ${VISIBLE_TO_OPERATOR})`,
  args: [caseId, operatorId],
});

/** The operator's access group names the case type (or `*`). */
export const operatorMayUse = (operatorId: string, caseTypeId: string): WriteGuard => ({
  sql: `EXISTS (SELECT 1 FROM operators o, json_each(o.case_types) j
    WHERE o.id = ? AND j.value IN ('*', ?))`,
  args: [operatorId, caseTypeId],
});

/**
 * The condition a write made after authorize() carries (the two-level path): everything
 * authorize checked that can change meanwhile, as tokenStillHolds has it for a write made in
 * the authorizing round trip: the client enabled at the token's generation, acting as the
 * same operator, `scope` still held by client and operator, and the token not revoked.
 */
export const principalStillHolds = (
  principal: {
    client: { id: string };
    operator: { id: string };
    tokenGeneration: number;
    tokenId: string;
  },
  scope: string,
) =>
  tokenStillHolds(
    {
      clientId: principal.client.id,
      operatorId: principal.operator.id,
      generation: principal.tokenGeneration,
      jti: principal.tokenId,
    },
    scope,
  );

/**
 * The condition a write made in the round trip that authorizes it carries, from the token
 * alone: its client exists, enabled, at the generation the token was issued at, acting as the
 * token's operator, whose client scopes and operator privileges still include `scope`; and
 * the token was not revoked. It is what authorize() checks, in the write's own SQL.
 */
export const tokenStillHolds = (
  token: { clientId: string; operatorId: string; generation: number; jti: string },
  scope: string,
) => ({
  sql: `EXISTS (SELECT 1 FROM clients c JOIN operators o ON o.id = c.operator_id
      WHERE c.id = ? AND c.enabled = 1 AND c.token_generation = ? AND o.id = ?
        AND EXISTS (SELECT 1 FROM json_each(c.scopes) WHERE value = ?)
        AND EXISTS (SELECT 1 FROM json_each(o.privileges) WHERE value = ?))
    AND NOT EXISTS (SELECT 1 FROM revoked_tokens WHERE jti = ?)`,
  args: [token.clientId, token.generation, token.operatorId, scope, scope, token.jti],
});

/** What a change to a case made on the two-level path holds to, as every such write below. */
type Changer = Parameters<typeof principalStillHolds>[0];

/**
 * A change to case `item` by the principal: `cases:update` still held, its case type still the
 * operator's, and the case still visible to it.
 */
export const caseChangeHolds = (principal: Changer, item: { id: string; caseTypeId: string }) =>
  allOf(
    principalStillHolds(principal, 'cases:update'),
    operatorMayUse(principal.operator.id, item.caseTypeId),
    caseVisibleTo(item.id, principal.operator.id),
  );

/** Work on an assignment of case `item`: `assignments:perform` still held, its type the operator's. */
export const assignmentWorkHolds = (principal: Changer, item: { caseTypeId: string }) =>
  allOf(
    principalStillHolds(principal, 'assignments:perform'),
    operatorMayUse(principal.operator.id, item.caseTypeId),
  );
