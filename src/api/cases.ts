import { createCase, listVisibleCases, readCase, updateCase } from '../domain/cases';
import { ifMatchMissing } from '../errors';
import { readJson, readRawJson } from '../http/body';
import { type AppContext, apiAudience, issuerOf } from '../http/context';
import { etagOf, parseIfMatch } from '../http/etag';
import { parseInput } from '../http/validation';
import {
  createCaseSchema,
  idempotencyKeySchema,
  listCasesQuerySchema,
  updateCaseSchema,
} from './schemas';
import { caseSummaryView, caseView, createdCaseView } from './views';

const caseUrl = (c: AppContext, id: string) =>
  `${apiAudience(issuerOf(c))}/cases/${encodeURIComponent(id)}`;

export async function createCaseHandler(c: AppContext) {
  const rawKey = c.req.header('Idempotency-Key');
  const key =
    rawKey === undefined
      ? undefined
      : parseInput(idempotencyKeySchema, rawKey, 'Idempotency-Key header');
  const { json, text } = await readRawJson(c);
  const request = parseInput(createCaseSchema, json, 'request body');
  const created = await createCase(
    c.env.DB,
    c.var.principal,
    request,
    key ? { key, body: text } : undefined,
  );
  c.header('Location', caseUrl(c, created.item.id));
  c.header('ETag', etagOf(created.item.version));
  if (created.replayed) c.header('Idempotent-Replayed', 'true');
  return c.json(createdCaseView(created.item, created.processId), 201);
}

export async function listCasesHandler(c: AppContext) {
  const query = parseInput(listCasesQuerySchema, c.req.query(), 'query');
  const page = await listVisibleCases(c.env.DB, c.var.principal, query.limit, query.cursor);
  return c.json({
    pxObjClass: 'Pega-API-CaseManagement',
    cases: page.items.map(caseSummaryView),
    ...(page.nextCursor && { nextCursor: page.nextCursor }),
  });
}

export async function getCaseHandler(c: AppContext) {
  const item = await readCase(c.env.DB, c.var.principal, c.req.param('id') as string);
  c.header('ETag', etagOf(item.version));
  return c.json(caseView(item));
}

export async function updateCaseHandler(c: AppContext) {
  const ifMatch = c.req.header('If-Match');
  if (!ifMatch) throw ifMatchMissing();
  const body = await readJson(c, updateCaseSchema);
  const updated = await updateCase(
    c.env.DB,
    c.var.principal,
    c.req.param('id') as string,
    parseIfMatch(ifMatch),
    body.content,
  );
  c.header('ETag', etagOf(updated.version));
  return c.body(null, 204);
}
