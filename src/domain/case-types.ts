import { caseTypeNotFound, conflict, invalidRequest, notFound } from '../errors';
import { applyAudited } from '../store/audit';
import {
  type CaseTypeRow,
  caseTypeFromRow,
  caseTypeRead,
  caseTypesRead,
  getCaseType,
  insertCaseType,
  replaceCaseType,
} from '../store/case-types';
import { isConstraintViolation } from '../store/errors';
import { existingOperators } from '../store/operators';
import { mapReads, type Reads, runReads } from '../store/reads';
import { mayUseCaseType } from './access';
import { queryableBefore, refillIfChanged } from './case-values';
import { withFlow } from './flow';
import type { Actor, CaseType, FlowStep, Principal } from './model';
import { changedRow } from './versioned';

/** One case type by ID (or null), with its flow: for the batch beside the bearer check. */
export const caseTypeReads = (db: D1Database, id: string): Reads<CaseType | null> =>
  mapReads(caseTypeRead(db, id), (stored) => stored && withFlow(stored));

/** All case types, by ID, with their flows: for the batch beside the bearer check. */
export const caseTypesReads = (db: D1Database): Reads<CaseType[]> =>
  mapReads(caseTypesRead(db), (stored) => stored.map(withFlow));

/** The case types the principal's operator may use (its access group names them). */
export const usableCaseTypes = (principal: Principal, caseTypes: CaseType[]) =>
  caseTypes.filter((caseType) => mayUseCaseType(principal.operator, caseType.id));

/** The case types the principal's operator may work; creating needs the cases:create scope too. */
export function creatableCaseTypes(caseTypes: CaseType[], principal: Principal) {
  return principal.scopes.includes('cases:create') ? usableCaseTypes(principal, caseTypes) : [];
}

/** From caseTypeReads: a case type the principal may use; else 404, as if absent. */
export function visibleCaseType(
  principal: Principal,
  id: string,
  caseType: CaseType | null,
): CaseType {
  if (!caseType || !mayUseCaseType(principal.operator, caseType.id)) {
    throw caseTypeNotFound(404, id);
  }
  return caseType;
}

/** One case type by ID, with its flow, or null. */
export const findCaseType = (db: D1Database, id: string) => runReads(db, caseTypeReads(db, id));

/** All case types, by ID, with their flows. */
export const allCaseTypes = (db: D1Database) => runReads(db, caseTypesReads(db));

/** What an admin defines; without `flow`, the default flow (see flow.ts). */
export type CaseTypeDefinition = Omit<CaseType, 'createdAt' | 'updatedAt' | 'version' | 'flow'> & {
  flow?: FlowStep[] | undefined;
};

function auditDetail(caseType: CaseTypeDefinition) {
  return {
    name: caseType.name,
    idPrefix: caseType.idPrefix,
    startingProcesses: caseType.startingProcesses.map((process) => process.ID),
    fields: caseType.fields.map((field) => field.name),
    flow: caseType.flow?.map((step) => step.ID) ?? null,
    stages: caseType.stages?.map((stage) => stage.ID) ?? null,
    processes: caseType.processes?.map((process) => process.ID) ?? null,
    participantRoles: caseType.participantRoles?.map((role) => role.ID) ?? null,
  };
}

/** Every operator a step is routed to must exist: 400 with the path of each that does not. */
async function checkRoutes(db: D1Database, flow: FlowStep[] | undefined): Promise<void> {
  const named = [...new Set((flow ?? []).flatMap((step) => (step.routeTo ? [step.routeTo] : [])))];
  if (named.length === 0) return;
  const known = await existingOperators(db, named);
  const unknown = (flow ?? []).flatMap((step, index) =>
    step.routeTo && !known.has(step.routeTo)
      ? [{ path: `.flow.${index}.routeTo`, message: `Operator ${step.routeTo} does not exist.` }]
      : [],
  );
  if (unknown.length > 0) throw invalidRequest('The request body is invalid.', unknown);
}

/** A write its routesExist precondition stopped: 400 naming the operator gone, else retry. */
async function routesChanged(db: D1Database, flow: FlowStep[] | undefined): Promise<never> {
  await checkRoutes(db, flow);
  throw conflict('An operator this flow routes to changed meanwhile; send the case type again.');
}

export async function defineCaseType(
  db: D1Database,
  actor: Actor,
  definition: CaseTypeDefinition,
): Promise<CaseType> {
  await checkRoutes(db, definition.flow);
  const at = new Date().toISOString();
  const stored = { ...definition, createdAt: at, updatedAt: at, version: 1 };
  try {
    const rows = await applyAudited(db, insertCaseType(db, stored), {
      at,
      actor,
      action: 'casetype.create',
      targetType: 'casetype',
      targetId: definition.id,
      detail: auditDetail(definition),
    });
    // An operator the flow routes to was deleted since checkRoutes: say which.
    if (rows.length === 0) await routesChanged(db, definition.flow);
  } catch (error) {
    if (isConstraintViolation(error, 'UNIQUE')) {
      throw conflict(`Case type ${definition.id} already exists.`);
    }
    throw error;
  }
  return withFlow({ ...stored, flow: stored.flow ?? null });
}

/**
 * PUT semantics: the whole definition is replaced, atomically with If-Match. Existing cases
 * keep their content (stored values of removed fields included; see case-content.ts).
 */
export async function redefineCaseType(
  db: D1Database,
  actor: Actor,
  definition: CaseTypeDefinition,
  expected: number[] | null,
): Promise<CaseType> {
  const [queryable] = await Promise.all([
    queryableBefore(db, definition.id),
    checkRoutes(db, definition.flow),
  ]);
  const updatedAt = new Date().toISOString();
  const rows = await applyAudited(db, replaceCaseType(db, { ...definition, updatedAt }, expected), {
    at: updatedAt,
    actor,
    action: 'casetype.update',
    targetType: 'casetype',
    targetId: definition.id,
    detail: auditDetail(definition),
  });
  const missing = notFound(`Case type ${definition.id} does not exist.`, 'Pega_API_008');
  const row = await changedRow(
    rows,
    async () => {
      const current = await getCaseType(db, definition.id);
      // The version matched but an operator the flow routes to is gone.
      if (current && (expected === null || expected.includes(current.version))) {
        await routesChanged(db, definition.flow);
      }
      return current;
    },
    'case type',
    missing,
  );
  await refillIfChanged(db, definition.id, queryable, definition.fields);
  return withFlow(caseTypeFromRow(row as CaseTypeRow));
}
