import {
  assignmentReads,
  assignmentToSubmit,
  type OpenAssignment,
  openAssignment,
} from '../domain/assignments';
import { caseTypeReads, caseTypesReads } from '../domain/case-types';
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
} from '../domain/cases';
import type { IfMatch } from '../domain/versioned';
import type { AppContext } from '../http/context';
import type { Found } from '../http/operations';
import { authorize, runPlan, writingToken } from './bearer';

/**
 * What both case APIs do alike, on the same domain code and in the same storage levels: the
 * case writes, and the assignment in the path as the bearer may work it.
 */

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

/** Every case type, read beside the bearer check: an operation's reads. */
export const allCaseTypesRead = (c: AppContext) => caseTypesReads(c.env.DB);

/** The case type in the path, read beside the bearer check: an operation's reads. */
export const caseTypeInPath = (c: AppContext) =>
  caseTypeReads(c.env.DB, c.req.param('id') as string);

/** The case in the path, read beside the bearer check: an operation's reads. */
export const caseInPath = (c: AppContext) => caseReads(c.env.DB, c.req.param('id') as string);

/** caseInPath, with whether the caller follows the case (DX API v2's `associations`). */
export const followedCaseInPath = (c: AppContext) =>
  caseReads(c.env.DB, c.req.param('id') as string, c.var.bearer.claims.operator);

/** The assignment in the path, read beside the bearer check: an operation's reads. */
export const assignmentInPath = (c: AppContext) =>
  assignmentReads(c.env.DB, c.req.param('id') as string, c.var.bearer.claims.operator);

/**
 * From assignmentInPath: the assignment as the bearer may work it (both APIs); `submitting`
 * names the action a submission acts on (see assignmentToSubmit). Else 404.
 */
export function assignmentIn(
  c: AppContext,
  { principal, found }: Found<FoundCase | null>,
  submitting?: string,
): OpenAssignment {
  const id = c.req.param('id') as string;
  return submitting === undefined
    ? openAssignment(principal, id, found)
    : assignmentToSubmit(principal, id, submitting, found);
}
