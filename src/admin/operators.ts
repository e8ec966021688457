import type { Operator } from '../domain/model';
import {
  changeOperator,
  createOperator,
  listOperators,
  removeOperator,
  requireOperator,
} from '../domain/operators';
import type { AppContext } from '../http/context';
import { etagOf, expectedVersions } from '../http/etag';
import type { Input } from '../http/operations';
import { parseInput } from '../http/validation';
import type * as z from '../zod';
import { type createOperatorSchema, pageQuerySchema, type updateOperatorSchema } from './schemas';

export function operatorView(operator: Operator) {
  return {
    operatorID: operator.id,
    name: operator.name,
    accessGroup: operator.accessGroup,
    createdAt: operator.createdAt,
    updatedAt: operator.updatedAt,
  };
}

export async function createOperatorHandler(
  c: AppContext,
  { body }: Input<undefined, z.infer<typeof createOperatorSchema>, undefined>,
) {
  const operator = await createOperator(c.env.DB, c.var.actor, {
    id: body.operatorID,
    name: body.name,
    accessGroup: body.accessGroup,
  });
  c.header('Location', `/admin/v1/operators/${encodeURIComponent(operator.id)}`);
  c.header('ETag', etagOf(operator.version));
  return c.json(operatorView(operator), 201);
}

export async function listOperatorsHandler(c: AppContext) {
  const query = parseInput(pageQuerySchema, c.req.query(), 'query');
  const page = await listOperators(c.env.DB, query.limit, query.cursor);
  return c.json({
    operators: page.items.map(operatorView),
    ...(page.nextCursor && { nextCursor: page.nextCursor }),
  });
}

export async function getOperatorHandler(c: AppContext) {
  const operator = await requireOperator(c.env.DB, c.req.param('id') as string);
  c.header('ETag', etagOf(operator.version));
  return c.json(operatorView(operator));
}

export async function updateOperatorHandler(
  c: AppContext,
  { body }: Input<undefined, z.infer<typeof updateOperatorSchema>, undefined>,
) {
  const changes = body;
  const expected = expectedVersions(c.req.header('If-Match'));
  const operator = await changeOperator(
    c.env.DB,
    c.var.actor,
    c.req.param('id') as string,
    changes,
    expected,
  );
  c.header('ETag', etagOf(operator.version));
  return c.json(operatorView(operator));
}

export async function deleteOperatorHandler(c: AppContext) {
  const expected = expectedVersions(c.req.header('If-Match'));
  await removeOperator(c.env.DB, c.var.actor, c.req.param('id') as string, expected);
  return c.body(null, 204);
}
