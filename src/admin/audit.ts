import { listAuditEvents } from '../domain/audit';
import type { AppContext } from '../http/context';
import { numericCursor, parseInput } from '../http/validation';
import * as z from '../zod';
import { pageQuerySchema } from './schemas';

const auditQuerySchema = z.extend(pageQuerySchema, { cursor: numericCursor });

export async function listAuditHandler(c: AppContext) {
  const query = parseInput(auditQuerySchema, c.req.query(), 'query');
  const page = await listAuditEvents(c.env.DB, query.limit, query.cursor);
  return c.json({
    events: page.items,
    ...(page.nextCursor && { nextCursor: page.nextCursor }),
  });
}
