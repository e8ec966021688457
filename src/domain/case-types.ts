import { conflict, notFound } from '../errors';
import { applyAudited } from '../store/audit';
import {
  type CaseTypeRow,
  caseTypeFromRow,
  getCaseType,
  insertCaseType,
  replaceCaseType,
} from '../store/case-types';
import { isConstraintViolation } from '../store/errors';
import type { Actor, CaseType } from './model';
import { changedRow } from './versioned';

export type CaseTypeDefinition = Omit<CaseType, 'createdAt' | 'updatedAt' | 'version'>;

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
  const caseType: CaseType = { ...definition, createdAt: at, updatedAt: at, version: 1 };
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
  const row = await changedRow(rows, () => getCaseType(db, definition.id), 'case type', missing);
  return caseTypeFromRow(row as CaseTypeRow);
}
