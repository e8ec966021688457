import { insufficientPrivilege, principalChanged } from '../errors';
import { getCase } from '../store/case-reads';
import {
  type CaseBefore,
  caseBeforeRead,
  insertCaseStatements,
  patchCaseStatements,
  revertPatch,
  undoCreate,
} from '../store/case-writes';
import { allOf, caseTypeAt, operatorMayUse, tokenStillHolds } from '../store/guards';
import { allReads, type Reads, runReads } from '../store/reads';
import { mayUseCaseType } from './access';
import { checkedChanges, MAX_CONTENT_BYTES, newCaseContent } from './case-content';
import {
  cachedCaseType,
  cachedCaseTypeOfCase,
  rememberCase,
  rememberCaseType,
} from './case-type-cache';
import { findCaseType } from './case-types';
import {
  actorOf,
  type CreateCaseRequest,
  type CreatedCase,
  caseReads,
  checkPageInstructions,
  createCase,
  DEFAULT_PROCESS_ID,
  type FoundCase,
  type Idempotency,
  newCase,
  updateCase,
  visibleCase,
} from './cases';
import { closedFields } from './flow';
import type { Case, Principal, Scope } from './model';
import type { IfMatch } from './versioned';

/**
 * Writes in one storage level: a create or an update whose content is validated against the
 * case type cached in this isolate, written in the very D1 batch that authorizes the request
 * (beside the token's KV get), with every precondition in its SQL: the token's client enabled
 * at the token's generation and the token not revoked, the scope still held, the operator's
 * access to the case type, the case type at the cached version, and for an update the case's
 * version (If-Match), visibility and not being resolved. When the write does not happen, the
 * reads in the same batch say why: a stale cache is replaced and the request made again (a
 * second level), anything else is refused as the two-level path refuses it. Without a cached
 * definition, with an Idempotency-Key or a parent case, or for a DPoP-bound token (its proof's
 * jti is recorded in the same batch, after which nothing could guard the write), the
 * two-level path runs instead.
 */
export interface WritePlan<T, R> extends Reads<R> {
  /** The token was refused after the write happened (its KV record was missing): undo it. */
  undo(found: R): Promise<void>;
  finish(principal: Principal, found: R): Promise<T>;
}

/** What a write made with the token alone knows of it (from its verified claims). */
export interface WritingToken {
  clientId: string;
  operatorId: string;
  generation: number;
  jti: string;
  scopes: string[];
}

const guardFor = (token: WritingToken, scope: Scope) =>
  token.scopes.includes(scope)
    ? tokenStillHolds(
        {
          clientId: token.clientId,
          operatorId: token.operatorId,
          generation: token.generation,
          jti: token.jti,
        },
        scope,
      )
    : null;

/** Runs `plan`'s content check; a refusal is left to the two-level path to answer. */
function attempt<T>(plan: () => T): T | null {
  try {
    return plan();
  } catch {
    return null;
  }
}

export function planCreate(
  db: D1Database,
  token: WritingToken | null,
  request: CreateCaseRequest,
  idempotency: Idempotency | undefined,
): WritePlan<CreatedCase, Case | null> | null {
  if (!token || idempotency || request.parentCaseID !== undefined || !request.caseTypeID) {
    return null;
  }
  const caseType = cachedCaseType(request.caseTypeID);
  const tokenGuard = guardFor(token, 'cases:create');
  if (!caseType || !tokenGuard) return null;
  const processId = request.processID ?? DEFAULT_PROCESS_ID;
  const process = caseType.startingProcesses.find((candidate) => candidate.ID === processId);
  const content = attempt(() => {
    checkPageInstructions(request.pageInstructions);
    return newCaseContent(caseType.fields, request.content ?? {}, {
      requireFields: process?.requiresFieldsToCreate === true,
      closed: closedFields(caseType.flow, token.operatorId, { creating: true }),
    });
  });
  if (!process || !content) return null;
  const { input, event } = newCase(
    caseType,
    processId,
    content,
    token,
    null,
    new Date().toISOString(),
  );
  const insert = insertCaseStatements(
    db,
    input,
    undefined,
    event,
    allOf(
      tokenGuard,
      operatorMayUse(token.operatorId, caseType.id),
      caseTypeAt(caseType.id, caseType.version),
    ),
  );
  return {
    ...insert,
    undo: async (item) => {
      if (item) await undoCreate(db, item, caseType.idPrefix);
    },
    finish: async (principal, item) => {
      if (item) {
        rememberCase(item, caseType);
        return { item, caseType, processId, replayed: false };
      }
      // Not written: one more round trip says whether the case type moved.
      const current = await findCaseType(db, caseType.id);
      if (!current || current.version !== caseType.version) {
        // An admin changed (or removed) it: the two-level path, with the definition as it is.
        if (current) rememberCaseType(current);
        return createCase(db, principal, request, idempotency, { caseType: current });
      }
      if (!mayUseCaseType(principal.operator, caseType.id)) {
        throw insufficientPrivilege(
          `Operator ${principal.operator.id} may not create ${caseType.id} cases.`,
        );
      }
      throw principalChanged();
    },
  };
}

/** Whether a stored value is the one a merge patch set (null: the merge removed it). */
const setBy = (stored: unknown, value: string | number | boolean | null) =>
  value === null ? stored === undefined : stored === value;

/**
 * Takes back a merge (planUpdate's) whose token was refused after it was written, whatever
 * was written after it: each value the merge set that still holds goes back to what it was
 * before, and its history entry goes; what later writes set stays. Straight after the merge,
 * the case is put back whole.
 */
async function takeBack(
  db: D1Database,
  before: CaseBefore,
  written: Case,
  values: Record<string, string | number | boolean | null>,
  history: { actor: string; at: string },
): Promise<void> {
  let current: Case | null = written;
  for (let attempt = 1; current && attempt <= 16; attempt += 1) {
    const content = { ...current.content };
    for (const [name, value] of Object.entries(values)) {
      if (!setBy(current.content[name], value)) continue;
      const earlier = before.content[name];
      if (earlier === undefined) delete content[name];
      else content[name] = earlier;
    }
    const revert = current.version === written.version ? { whole: before } : { content };
    if (await revertPatch(db, current, revert, history)) return;
    current = await getCase(db, written.id);
  }
}

export function planUpdate(
  db: D1Database,
  token: WritingToken | null,
  id: string,
  ifMatch: IfMatch,
  changes: Record<string, unknown>,
): WritePlan<FoundCase, { before: CaseBefore | null; written: Case | null }> | null {
  const caseType = cachedCaseTypeOfCase(id);
  const tokenGuard = token && guardFor(token, 'cases:update');
  if (!token || !caseType || !tokenGuard) return null;
  const values = attempt(() =>
    checkedChanges(
      caseType.fields,
      changes,
      closedFields(caseType.flow, token.operatorId, { creating: false }),
    ),
  );
  if (!values) return null;
  const at = new Date().toISOString();
  const history = { actor: actorOf(token.operatorId, token.clientId), at };
  const patch = patchCaseStatements(
    db,
    id,
    caseType.id,
    {
      values,
      operatorId: token.operatorId,
      at,
      versions: ifMatch.any ? null : ifMatch.versions,
      maxBytes: MAX_CONTENT_BYTES,
    },
    { ...history, action: 'case.update', detail: { fields: Object.keys(changes) } },
    allOf(tokenGuard, caseTypeAt(caseType.id, caseType.version)),
  );
  return {
    // The case as it was before the write, to take the write back if the token is refused.
    ...allReads({ before: caseBeforeRead(db, id), written: patch }),
    undo: async ({ before, written }) => {
      if (before && written) {
        await takeBack(db, before, written, values, { actor: history.actor.id, at });
      }
    },
    finish: async (principal, { written }) => {
      if (written) return { item: { ...written, caseTypeName: caseType.name }, caseType };
      // Not written: one more round trip reads the case and its type as they are, and the
      // two-level path says why (404, 409, 412, 400), or writes it with the type as it is now.
      const found = visibleCase(principal, id, await runReads(db, caseReads(db, id)));
      return updateCase(db, principal, found, ifMatch, changes);
    },
  };
}
