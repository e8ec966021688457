import { conflict, notFound } from '../errors';
import { applyAudited } from '../store/audit';
import { getCaseType, insertCaseType, replaceCaseType } from '../store/case-types';
import { isConstraintViolation } from '../store/errors';
import type { Actor, CaseType } from './model';

export type CaseTypeDefinition = Omit<CaseType, 'createdAt' | 'updatedAt'>;

function auditDetail(caseType: CaseTypeDefinition) {
  return {
    name: caseType.name,
    idPrefix: caseType.idPrefix,
    startingProcesses: caseType.startingProcesses.map((process) => process.ID),
    fields: caseType.fields.map((field) => field.name),
  };
}

export async function defineCaseType(
  db: D1Database,
  actor: Actor,
  definition: CaseTypeDefinition,
): Promise<CaseType> {
  const at = new Date().toISOString();
  const caseType: CaseType = { ...definition, createdAt: at, updatedAt: at };
  try {
    await applyAudited(db, insertCaseType(db, caseType), {
      at,
      actor,
      action: 'casetype.create',
      targetType: 'casetype',
      targetId: caseType.id,
      detail: auditDetail(caseType),
    });
  } catch (error) {
    if (isConstraintViolation(error, 'UNIQUE')) {
      throw conflict(`Case type ${definition.id} already exists.`);
    }
    throw error;
  }
  return caseType;
}

/** PUT semantics: the whole definition is replaced. Existing cases keep their content. */
export async function redefineCaseType(
  db: D1Database,
  actor: Actor,
  definition: CaseTypeDefinition,
): Promise<CaseType> {
  const current = await getCaseType(db, definition.id);
  if (!current) throw notFound(`Case type ${definition.id} does not exist.`, 'Pega_API_008');
  const caseType: CaseType = {
    ...definition,
    createdAt: current.createdAt,
    updatedAt: new Date().toISOString(),
  };
  await applyAudited(db, replaceCaseType(db, caseType), {
    at: caseType.updatedAt,
    actor,
    action: 'casetype.update',
    targetType: 'casetype',
    targetId: caseType.id,
    detail: auditDetail(caseType),
  });
  return caseType;
}
