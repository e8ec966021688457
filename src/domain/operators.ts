import { conflict, ifMatchFailed, notFound } from '../errors';
import { applyAudited } from '../store/audit';
import { isConstraintViolation } from '../store/errors';
import {
  deleteOperator,
  getOperator,
  insertOperator,
  type OperatorRow,
  operatorFromRow,
  operatorReferences,
  patchOperator,
} from '../store/operators';
import type { AccessGroup, Actor, Operator } from './model';
import { changedRow } from './versioned';

const operatorNotFound = (id: string) => notFound(`Operator ${id} does not exist.`);

export async function requireOperator(db: D1Database, id: string): Promise<Operator> {
  const operator = await getOperator(db, id);
  if (!operator) throw operatorNotFound(id);
  return operator;
}

export async function createOperator(
  db: D1Database,
  actor: Actor,
  input: { id: string; name: string; accessGroup: AccessGroup },
): Promise<Operator> {
  const at = new Date().toISOString();
  const operator: Operator = { ...input, createdAt: at, updatedAt: at, version: 1 };
  try {
    await applyAudited(db, insertOperator(db, operator), {
      at,
      actor,
      action: 'operator.create',
      targetType: 'operator',
      targetId: operator.id,
      detail: { name: operator.name, accessGroup: operator.accessGroup },
    });
  } catch (error) {
    if (isConstraintViolation(error, 'UNIQUE')) {
      throw conflict(`Operator ${input.id} already exists.`);
    }
    throw error;
  }
  return operator;
}

/** Writes only what was sent, atomically with If-Match: concurrent PATCHes never undo each other. */
export async function changeOperator(
  db: D1Database,
  actor: Actor,
  id: string,
  changes: { name?: string | undefined; accessGroup?: Partial<AccessGroup> | undefined },
  expected: number[] | null,
): Promise<Operator> {
  const at = new Date().toISOString();
  const rows = await applyAudited(db, patchOperator(db, id, changes, at, expected), {
    at,
    actor,
    action: 'operator.update',
    targetType: 'operator',
    targetId: id,
    detail: changes,
  });
  const row = await changedRow(rows, () => getOperator(db, id), 'operator', operatorNotFound(id));
  return operatorFromRow(row as OperatorRow);
}

/**
 * Deletes an operator that nothing names any more. While a client uses it, a case names it as
 * creator, owner or assignee, or a flow routes to it, 409 says which: a later operator with the same ID must not inherit
 * another team's cases, so an operator that has worked cases stays (disable its clients).
 */
export async function removeOperator(
  db: D1Database,
  actor: Actor,
  id: string,
  expected: number[] | null,
): Promise<void> {
  const rows = await applyAudited(db, deleteOperator(db, id, expected), {
    actor,
    action: 'operator.delete',
    targetType: 'operator',
    targetId: id,
  });
  if (rows.length > 0) return;
  const [operator, references] = await Promise.all([
    getOperator(db, id),
    operatorReferences(db, id),
  ]);
  if (!operator) throw operatorNotFound(id);
  if (references.clients) {
    throw conflict(`Operator ${id} is still used by a client; delete those first.`);
  }
  if (references.flows) {
    throw conflict(
      `A case type's flow routes assignments to operator ${id}; route them elsewhere first.`,
    );
  }
  if (references.cases) {
    throw conflict(
      `Operator ${id} created or owns cases; it cannot be deleted, so that no later operator with this ID inherits them.`,
    );
  }
  throw ifMatchFailed('operator');
}

// What handlers read and write through this module, as store/ has it (docs/architecture.md:
// no handler imports store/).
export { listOperators } from '../store/operators';
