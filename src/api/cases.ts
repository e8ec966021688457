import { sha256Hex } from '../crypto/secrets';
import { planCreate, planUpdate } from '../domain/case-writes';
import {
  type CreatedCase,
  caseReads,
  checkPageInstructions,
  createCase,
  createCaseReads,
  updateCase,
  visibleCase,
  visibleCasesReads,
} from '../domain/cases';
import { nextAssignmentIdFor } from '../domain/flow';
import type { Case } from '../domain/model';
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

export async function createCaseHandler(c: AppContext) {
  const rawKey = c.req.header('Idempotency-Key');
  const key =
    rawKey === undefined
      ? undefined
      : await parseAuthorized(c, idempotencyKeySchema, rawKey, 'Idempotency-Key header');
  const { json, text } = await readJsonAuthorized(c);
  const request = await parseAuthorized(c, createCaseSchema, json, 'request body');
  const idempotency = key ? { key, fingerprint: await sha256Hex(text) } : undefined;
  const db = c.env.DB;
  // One level (the write in the authorizing batch) where the case type is cached; else two.
  const plan = planCreate(db, writingToken(c), request, idempotency);
  let created: CreatedCase;
  if (plan) {
    created = await runPlan(c, plan);
  } else {
    const reads = createCaseReads(db, c.var.bearer.claims.client_id, request, idempotency);
    const { principal, found } = await authorize(c, reads);
    created = await createCase(db, principal, request, idempotency, found);
  }
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
  const header = c.req.header('If-Match');
  if (header === undefined) {
    await authorize(c);
    throw ifMatchMissing();
  }
  // A malformed If-Match is refused only once the token has been checked.
  const ifMatch = await ifMatchAuthorized(c, header);
  const { json } = await readJsonAuthorized(c);
  const body = await parseAuthorized(c, updateCaseSchema, json, 'request body');
  const id = c.req.param('id') as string;
  const db = c.env.DB;
  // Page instructions are refused before anything is written, but only once the token holds.
  const plan = body.pageInstructions?.length
    ? null
    : planUpdate(db, writingToken(c), id, ifMatch, body.content);
  let updated: Case;
  if (plan) {
    updated = await runPlan(c, plan);
  } else {
    const { principal, found } = await authorize(c, caseReads(db, id));
    const visible = visibleCase(principal, id, found);
    checkPageInstructions(body.pageInstructions);
    updated = await updateCase(db, principal, visible, ifMatch, body.content);
  }
  c.header('ETag', etagOf(updated.version));
  return c.body(null, 204);
}
