import { sha256Hex } from '../crypto/secrets';
import { planCreate, planUpdate } from '../domain/case-writes';
import {
  type CreateCaseRequest,
  type CreatedCase,
  caseReads,
  checkPageInstructions,
  createCase,
  createCaseReads,
  type FoundCase,
  type Idempotency,
  type PageInstruction,
  updateCase,
  visibleCase,
  visibleCasesReads,
} from '../domain/cases';
import { nextAssignmentIdFor } from '../domain/flow';
import type { IfMatch } from '../domain/versioned';
import { ifMatchMissing, notFound } from '../errors';
import { type AppContext, apiAudience, issuerOf } from '../http/context';
import { etagOf } from '../http/etag';
import {
  authorize,
  ifMatchAuthorized,
  parseAuthorized,
  readJsonAuthorized,
  runPlan,
  writingToken,
} from './bearer';
import {
  createCaseSchema,
  idempotencyKeySchema,
  listCasesQuerySchema,
  updateCaseSchema,
} from './schemas';
import { caseInformationView, caseSummaryView, caseView, nextView } from './views';

const caseUrl = (c: AppContext, id: string) =>
  `${apiAudience(issuerOf(c))}/cases/${encodeURIComponent(id)}`;

/**
 * Creates a case for the bearer (both APIs): one level (the write in the authorizing batch)
 * where the case type is cached, else two.
 */
export async function createCaseFor(
  c: AppContext,
  request: CreateCaseRequest,
  idempotency: Idempotency | undefined,
): Promise<CreatedCase> {
  const db = c.env.DB;
  const plan = planCreate(db, writingToken(c), request, idempotency);
  if (plan) return runPlan(c, plan);
  const reads = createCaseReads(db, c.var.bearer.claims.client_id, request, idempotency);
  const { principal, found } = await authorize(c, reads);
  return createCase(db, principal, request, idempotency, found);
}

/**
 * Merges `content` into a case for the bearer (both APIs), as If-Match allows: one level where
 * the case type is cached, else two.
 */
export async function updateCaseFor(
  c: AppContext,
  id: string,
  ifMatch: IfMatch,
  content: Record<string, unknown>,
  pageInstructions: PageInstruction[] | undefined,
): Promise<FoundCase> {
  const db = c.env.DB;
  // Page instructions are refused before anything is written, but only once the token holds.
  const plan = pageInstructions?.length
    ? null
    : planUpdate(db, writingToken(c), id, ifMatch, content);
  if (plan) return runPlan(c, plan);
  const { principal, found } = await authorize(c, caseReads(db, id));
  const visible = visibleCase(principal, id, found);
  checkPageInstructions(pageInstructions);
  return updateCase(db, principal, visible, ifMatch, content);
}

/** If-Match as a write needs it: missing is 428, malformed 400, each once the token holds. */
export async function requiredIfMatch(c: AppContext): Promise<IfMatch> {
  const header = c.req.header('If-Match');
  if (header === undefined) {
    await authorize(c);
    throw ifMatchMissing();
  }
  return ifMatchAuthorized(c, header);
}

export async function createCaseHandler(c: AppContext) {
  const rawKey = c.req.header('Idempotency-Key');
  const key =
    rawKey === undefined
      ? undefined
      : await parseAuthorized(c, idempotencyKeySchema, rawKey, 'Idempotency-Key header');
  const { json, text } = await readJsonAuthorized(c);
  const request = await parseAuthorized(c, createCaseSchema, json, 'request body');
  const idempotency = key ? { key, fingerprint: await sha256Hex(text) } : undefined;
  const created = await createCaseFor(c, request, idempotency);
  const { principal } = c.var;
  const { item } = created;
  c.header('Location', caseUrl(c, item.id));
  c.header('ETag', etagOf(item.version));
  if (created.replayed) c.header('Idempotent-Replayed', 'true');
  return c.json(nextView(item, nextAssignmentIdFor(item, principal.operator.id)), 201);
}

export async function listCasesHandler(c: AppContext) {
  const query = await parseAuthorized(c, listCasesQuerySchema, c.req.query(), 'query');
  const { operator } = c.var.bearer.claims;
  const { found: page } = await authorize(
    c,
    visibleCasesReads(c.env.DB, operator, query.limit, query.cursor),
  );
  return c.json({
    pxObjClass: 'Pega-API-CaseManagement',
    cases: page.items.map(caseSummaryView),
    ...(page.nextCursor && { nextCursor: page.nextCursor }),
  });
}

export async function getCaseHandler(c: AppContext) {
  const id = c.req.param('id') as string;
  const { principal, found } = await authorize(c, caseReads(c.env.DB, id));
  const { item, caseType } = visibleCase(principal, id, found);
  c.header('ETag', etagOf(item.version));
  return c.json(caseView(item, caseType));
}

/** `GET /cases/{ID}/views/{viewID}`: Pega's pyCaseInformation, the one view a case has here. */
export async function getCaseViewHandler(c: AppContext) {
  const id = c.req.param('id') as string;
  const { principal, found } = await authorize(c, caseReads(c.env.DB, id));
  const { item, caseType } = visibleCase(principal, id, found);
  if (c.req.param('viewId') !== 'pyCaseInformation') {
    throw notFound(`Case ${id} has no view ${c.req.param('viewId')}; pyCaseInformation only.`);
  }
  return c.json(caseInformationView(item, caseType));
}

export async function updateCaseHandler(c: AppContext) {
  const ifMatch = await requiredIfMatch(c);
  const { json } = await readJsonAuthorized(c);
  const body = await parseAuthorized(c, updateCaseSchema, json, 'request body');
  const id = c.req.param('id') as string;
  const { item } = await updateCaseFor(c, id, ifMatch, body.content, body.pageInstructions);
  c.header('ETag', etagOf(item.version));
  return c.body(null, 204);
}
