import { parseAuthorized } from '../case-api/bearer';
import { createCaseFor, updateCaseFor } from '../case-api/cases';
import type { CreateCaseBody } from '../case-api/schemas';
import { sha256Hex } from '../crypto/secrets';
import type { FoundCase } from '../domain/cases';
import { visibleCase } from '../domain/cases';
import { nextAssignmentIdFor } from '../domain/flow';
import type { Case, Page } from '../domain/model';
import type { IfMatch } from '../domain/versioned';
import { notFound } from '../errors';
import { type AppContext, apiAudience, issuerOf } from '../http/context';
import { etagOf } from '../http/etag';
import type { Found, Input } from '../http/operations';
import type * as z from '../zod';
import { idempotencyKeySchema, type updateCaseSchema } from './schemas';
import { caseInformationView, caseSummaryView, caseView, nextView } from './views';

const caseUrl = (c: AppContext, id: string) =>
  `${apiAudience(issuerOf(c))}/cases/${encodeURIComponent(id)}`;

export async function createCaseHandler(
  c: AppContext,
  { body: request, bodyText }: Input<undefined, CreateCaseBody, undefined>,
) {
  const rawKey = c.req.header('Idempotency-Key');
  const key =
    rawKey === undefined
      ? undefined
      : await parseAuthorized(c, idempotencyKeySchema, rawKey, 'Idempotency-Key header');
  const idempotency = key ? { key, fingerprint: await sha256Hex(bodyText) } : undefined;
  const created = await createCaseFor(c, request, idempotency);
  const { principal } = c.var;
  const { item } = created;
  c.header('Location', caseUrl(c, item.id));
  c.header('ETag', etagOf(item.version));
  if (created.replayed) c.header('Idempotent-Replayed', 'true');
  return c.json(nextView(item, nextAssignmentIdFor(item, principal.operator.id)), 201);
}

export async function listCasesHandler(c: AppContext, { found: page }: Found<Page<Case>>) {
  return c.json({
    pxObjClass: 'Pega-API-CaseManagement',
    cases: page.items.map(caseSummaryView),
    ...(page.nextCursor && { nextCursor: page.nextCursor }),
  });
}

export async function getCaseHandler(c: AppContext, { principal, found }: Found<FoundCase | null>) {
  const id = c.req.param('id') as string;
  const { item, caseType } = visibleCase(principal, id, found);
  c.header('ETag', etagOf(item.version));
  return c.json(caseView(item, caseType));
}

/** `GET /cases/{ID}/views/{viewID}`: Pega's pyCaseInformation, the one view a case has here. */
export async function getCaseViewHandler(
  c: AppContext,
  { principal, found }: Found<FoundCase | null>,
) {
  const id = c.req.param('id') as string;
  const { item, caseType } = visibleCase(principal, id, found);
  if (c.req.param('viewId') !== 'pyCaseInformation') {
    throw notFound(`Case ${id} has no view ${c.req.param('viewId')}; pyCaseInformation only.`);
  }
  return c.json(caseInformationView(item, caseType));
}

export async function updateCaseHandler(
  c: AppContext,
  { body, ifMatch }: Input<undefined, z.infer<typeof updateCaseSchema>, IfMatch>,
) {
  const id = c.req.param('id') as string;
  const { item } = await updateCaseFor(c, id, ifMatch, body.content, body.pageInstructions);
  c.header('ETag', etagOf(item.version));
  return c.body(null, 204);
}
