import { conflict, notFound } from '../errors';
import { applyAudited } from '../store/audit';
import { isConstraintViolation } from '../store/errors';
import {
  deleteOperator,
  getOperator,
  insertOperator,
  operatorInUse,
  updateOperator,
} from '../store/operators';
import type { AccessGroup, Actor, Operator } from './model';

export async function requireOperator(db: D1Database, id: string): Promise<Operator> {
  const operator = await getOperator(db, id);
  if (!operator) throw notFound(`Operator ${id} does not exist.`);
  return operator;
}

export async function createOperator(
  db: D1Database,
  actor: Actor,
  input: { id: string; name: string; accessGroup: AccessGroup },
): Promise<Operator> {
  const at = new Date().toISOString();
  const operator: Operator = { ...input, createdAt: at, updatedAt: at };
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

export async function changeOperator(
  db: D1Database,
  actor: Actor,
  id: string,
  changes: { name?: string | undefined; accessGroup?: Partial<AccessGroup> | undefined },
): Promise<Operator> {
  const current = await requireOperator(db, id);
  const operator: Operator = {
    ...current,
    name: changes.name ?? current.name,
    accessGroup: { ...current.accessGroup, ...changes.accessGroup },
    updatedAt: new Date().toISOString(),
  };
  await applyAudited(db, updateOperator(db, operator), {
    at: operator.updatedAt,
    actor,
    action: 'operator.update',
    targetType: 'operator',
    targetId: id,
    detail: changes,
  });
  return operator;
}

export async function removeOperator(db: D1Database, actor: Actor, id: string): Promise<void> {
  await requireOperator(db, id);
  const inUse = () => conflict(`Operator ${id} is still used by a client; delete those first.`);
  if (await operatorInUse(db, id)) throw inUse();
  try {
    await applyAudited(db, deleteOperator(db, id), {
      actor,
      action: 'operator.delete',
      targetType: 'operator',
      targetId: id,
    });
  } catch (error) {
    // A client registered between the check and the delete: the foreign key holds the line.
    if (isConstraintViolation(error, 'FOREIGN KEY')) throw inUse();
    throw error;
  }
}
