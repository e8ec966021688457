// Longer than 300 lines on purpose: a case's create (with idempotency and a parent), read and update, each as what it reads beside what it decides, sharing the case's reads, history and page instructions.
import {
  caseNotFound,
  caseResolved,
  caseTypeIdMissing,
  caseTypeNotFound,
  idempotencyKeyReused,
  ifMatchFailed,
  insufficientPrivilege,
  invalidRequest,
  principalChanged,
  processNotFound,
} from '../errors';
import { caseRead, caseWithTypeRead, getCase, visibleCasesRead } from '../store/case-reads';
import { type CaseEvent, insertCase, type NewCase, writeCase } from '../store/case-writes';
import { isConstraintViolation } from '../store/errors';
import {
  allOf,
  caseChangeHolds,
  caseVisibleTo,
  operatorMayUse,
  principalStillHolds,
} from '../store/guards';
import { type IdempotencyHit, idempotencyRead } from '../store/idempotency';
import { allReads, mapReads, type Reads, runReads } from '../store/reads';
import { maySeeCase, mayUseCaseType } from './access';
import { mergedCaseContent, newCaseContent } from './case-content';
import { cachedCaseTypeOfCase, rememberCase, rememberCaseType } from './case-type-cache';
import { caseTypeReads } from './case-types';
import { closedFields, routeOf, withFlow } from './flow';
import { CASE_STATUS, type Case, type CaseContent, type CaseType, type Principal } from './model';
import { checkIfMatch, type IfMatch } from './versioned';

export const DEFAULT_PROCESS_ID = 'pyStartCase';
const IDEMPOTENCY_WINDOW_MS = 24 * 60 * 60 * 1000;

/** Pega's page instructions: how its clients change embedded pages and page lists. */
export interface PageInstruction {
  instruction: string;
  target: string;
}

export interface CreateCaseRequest {
  caseTypeID?: string | undefined;
  processID?: string | undefined;
  parentCaseID?: string | undefined;
  content?: Record<string, unknown> | undefined;
  pageInstructions?: PageInstruction[] | undefined;
}

export interface Idempotency {
  key: string;
  /** SHA-256 of the request body. */
  fingerprint: string;
}

export interface CreatedCase {
  item: Case;
  /** Its case type as it was written with; null only for a replay whose type is gone since. */
  caseType: CaseType | null;
  processId: string;
  /** True when an Idempotency-Key retry returned the first result. */
  replayed: boolean;
}

/** Who a case's history names for a change made through the API: the operator and its client. */
export const actorOf = (operatorId: string, clientId: string) => ({
  id: `${operatorId} (client ${clientId})`,
});

export const caseActor = (principal: Principal) =>
  actorOf(principal.operator.id, principal.client.id);

/**
 * A new case of `caseType`, status New, at its flow's first step (routed as that step says),
 * and its history entry: what an insert writes, whichever path makes it.
 */
export function newCase(
  caseType: CaseType,
  processId: string,
  content: CaseContent,
  by: { operatorId: string; clientId: string },
  parentCaseId: string | null,
  at: string,
): { input: NewCase; event: CaseEvent } {
  const firstStep = caseType.flow[0];
  return {
    input: {
      idStem: caseIdStem(caseType.id),
      idPrefix: caseType.idPrefix,
      caseTypeId: caseType.id,
      caseTypeName: caseType.name,
      status: CASE_STATUS.new,
      content,
      parentCaseId,
      operatorId: by.operatorId,
      clientId: by.clientId,
      at,
      processId,
      stepIndex: firstStep ? 0 : null,
      assignedTo: firstStep ? routeOf(firstStep, { createdBy: by.operatorId }) : null,
    },
    event: {
      actor: actorOf(by.operatorId, by.clientId),
      action: 'case.create',
      detail: { caseType: caseType.id, fields: Object.keys(content) },
    },
  };
}

/** `Cnow-connectnow-Work-CityServicesRequest` → `CNOW-CONNECTNOW-WORK ` (Pega's case ID stem). */
export function caseIdStem(caseTypeId: string): string {
  const segments = caseTypeId.split('-');
  const stem = segments.length > 1 ? segments.slice(0, -1) : segments;
  return `${stem.join('-').toUpperCase()} `;
}

/** The case's number as Pega shows it: `R-1001` of `CNOW-CONNECTNOW-WORK R-1001`. */
export const pyIdOf = (id: string) => id.slice(id.lastIndexOf(' ') + 1);

/**
 * Cases here hold flat fields only, so no page instruction can apply: each one is a field error
 * (Pega's clients send an empty list, which is fine), never silently ignored.
 */
export function checkPageInstructions(instructions: PageInstruction[] | undefined): void {
  if (!instructions || instructions.length === 0) return;
  throw invalidRequest(
    'The request body is invalid.',
    instructions.map((instruction, index) => ({
      path: `.pageInstructions.${index}`,
      message: `This case type has no embedded page or page list ${instruction.target} for ${instruction.instruction}; send its fields in content.`,
    })),
  );
}

/** A case with its case type, as read. */
export interface FoundCase {
  item: Case;
  caseType: CaseType;
}

/**
 * The case and its case type, for the batch beside the bearer check: null where either is
 * absent. A case read so is remembered with its type, which lets its next update write in one
 * level (case-writes.ts).
 */
export const caseReads = (
  db: D1Database,
  id: string,
  /** The operator reading it: whether it follows the case comes with it. */
  follower?: string,
): Reads<FoundCase | null> => {
  // The type this isolate holds for the case: its definition is not read again.
  const known = cachedCaseTypeOfCase(id);
  return mapReads(caseWithTypeRead(db, id, follower, known), (found) => {
    if (!found) return null;
    const { item } = found;
    const caseType = found.caseType ? withFlow(found.caseType) : (known as CaseType);
    rememberCase(item, caseType);
    return { item, caseType };
  });
};

/** The operator's cases (or all it may see), newest first, a page: beside the bearer check. */
export const visibleCasesReads = visibleCasesRead;

/** From caseReads: a case the principal may see, else Pega_API_011 404. */
export function visibleCase(principal: Principal, id: string, found: FoundCase | null): FoundCase {
  if (!found || !maySeeCase(principal.operator, found.item)) throw caseNotFound(id);
  return found;
}

const notBefore = () => new Date(Date.now() - IDEMPOTENCY_WINDOW_MS).toISOString();

/** What a create reads beside the bearer check, by name. */
export interface CreateCaseFound {
  caseType: CaseType | null;
  /** Only when the request names a parent case. */
  parent?: Case | null;
  /** Only with an Idempotency-Key: its earlier record and the case it names. */
  earlier?: { record: IdempotencyHit | undefined; replayed: Case | null };
}

/**
 * What a create reads beside the bearer check: the case type, and only when the request has
 * them, the parent case and the Idempotency-Key's earlier result.
 */
export function createCaseReads(
  db: D1Database,
  clientId: string,
  request: CreateCaseRequest,
  idempotency: Idempotency | undefined,
): Reads<CreateCaseFound> {
  return allReads({
    caseType: caseTypeReads(db, request.caseTypeID ?? ''),
    ...(request.parentCaseID !== undefined && { parent: caseRead(db, request.parentCaseID) }),
    ...(idempotency && {
      earlier: idempotencyRead(db, clientId, idempotency.key, notBefore()),
    }),
  });
}

function replayFrom(
  principal: Principal,
  idempotency: Idempotency,
  earlier: CreateCaseFound['earlier'],
  caseType: CaseType | null,
): CreatedCase | null {
  const record = earlier?.record;
  if (!record) return null;
  if (record.fingerprint !== idempotency.fingerprint) throw idempotencyKeyReused();
  const { replayed } = earlier;
  if (!replayed || !maySeeCase(principal.operator, replayed)) throw caseNotFound(record.caseId);
  return { item: replayed, caseType, processId: record.processId, replayed: true };
}

async function replayNow(
  db: D1Database,
  principal: Principal,
  idempotency: Idempotency,
  caseType: CaseType,
) {
  const earlier = await runReads(
    db,
    idempotencyRead(db, principal.client.id, idempotency.key, notBefore()),
  );
  return replayFrom(principal, idempotency, earlier, caseType);
}

/**
 * Creates a case from what createCaseReads found. Its first assignment is the flow's first step,
 * routed as that step says. Required fields are enforced here only where the starting process
 * requiresFieldsToCreate; otherwise the first assignment asks for them.
 */
export async function createCase(
  db: D1Database,
  principal: Principal,
  request: CreateCaseRequest,
  idempotency: Idempotency | undefined,
  found: CreateCaseFound,
): Promise<CreatedCase> {
  if (idempotency) {
    const first = replayFrom(principal, idempotency, found.earlier, found.caseType);
    if (first) return first;
  }
  const { operator } = principal;
  if (!request.caseTypeID) throw caseTypeIdMissing();
  const { caseType } = found;
  if (!caseType) throw caseTypeNotFound(400, request.caseTypeID);
  rememberCaseType(caseType);
  if (!mayUseCaseType(operator, caseType.id)) {
    throw insufficientPrivilege(`Operator ${operator.id} may not create ${caseType.id} cases.`);
  }
  const processId = request.processID ?? DEFAULT_PROCESS_ID;
  const process = caseType.startingProcesses.find((candidate) => candidate.ID === processId);
  if (!process) throw processNotFound(processId, caseType.id);
  if (request.parentCaseID !== undefined) {
    const { parent } = found;
    if (!parent || !maySeeCase(operator, parent)) {
      throw invalidRequest('The request body is invalid.', [
        { path: '.parentCaseID', message: `Case ${request.parentCaseID} not found.` },
      ]);
    }
  }
  checkPageInstructions(request.pageInstructions);
  const content = newCaseContent(caseType.fields, request.content ?? {}, {
    requireFields: process.requiresFieldsToCreate === true,
    closed: closedFields(caseType.flow, operator.id, { creating: true }),
  });

  const at = new Date();
  const created = newCase(
    caseType,
    processId,
    content,
    { operatorId: operator.id, clientId: principal.client.id },
    request.parentCaseID ?? null,
    at.toISOString(),
  );
  try {
    const item = await insertCase(
      db,
      created.input,
      idempotency && {
        clientId: principal.client.id,
        key: idempotency.key,
        fingerprint: idempotency.fingerprint,
        processId,
        expiredBefore: new Date(at.getTime() - IDEMPOTENCY_WINDOW_MS).toISOString(),
      },
      created.event,
      allOf(
        principalStillHolds(principal, 'cases:create'),
        operatorMayUse(operator.id, caseType.id),
        ...(request.parentCaseID === undefined
          ? []
          : [caseVisibleTo(request.parentCaseID, operator.id)]),
      ),
    );
    if (!item) throw principalChanged();
    rememberCase(item, caseType);
    return { item, caseType, processId, replayed: false };
  } catch (error) {
    // A concurrent retry with the same key won the race; its whole batch stands, ours rolled back.
    if (idempotency && isConstraintViolation(error, 'UNIQUE')) {
      const first = await replayNow(db, principal, idempotency, caseType);
      if (first) return first;
    }
    throw error;
  }
}

/** Pega's resolved statuses all start so (`Resolved-Completed`, `Resolved-Rejected`, ...). */
export const isResolved = (item: Pick<Case, 'status'>) => item.status.startsWith('Resolved');

/** `If-Match: *` retries a write that lost a race this often before it answers 412. */
const ANY_VERSION_ATTEMPTS = 16;

/**
 * Merges `content` into the case (from caseReads) and writes it only if the version is still
 * the one it was merged into (compare-and-set). A version named in If-Match that has moved is
 * a 412, never a lost update. `*` means whatever version is current: a write that lost a race
 * merges again into the newer content and retries (every lost race is another writer's
 * success, so with up to ANY_VERSION_ATTEMPTS writers at once every one of them lands).
 */
export async function updateCase(
  db: D1Database,
  principal: Principal,
  found: FoundCase,
  ifMatch: IfMatch,
  changes: Record<string, unknown>,
): Promise<FoundCase> {
  const { caseType } = found;
  let { item } = found;
  for (let attempt = 1; ; attempt += 1) {
    if (isResolved(item)) throw caseResolved(item.id);
    checkIfMatch(ifMatch, item.version);
    const updated = await writeCase(
      db,
      item,
      {
        content: mergedCaseContent(
          caseType.fields,
          item.content,
          changes,
          closedFields(caseType.flow, principal.operator.id, { creating: false }),
        ),
        status: item.status === CASE_STATUS.new ? CASE_STATUS.open : item.status,
        operatorId: principal.operator.id,
        at: new Date().toISOString(),
      },
      {
        actor: caseActor(principal),
        action: 'case.update',
        detail: { fields: Object.keys(changes) },
      },
      caseChangeHolds(principal, item),
    );
    if (updated) return { item: updated, caseType };
    const again = await getCase(db, item.id);
    if (!again) throw caseNotFound(item.id);
    // Same version: it was the principal, not the case, that moved.
    if (again.version === item.version) throw principalChanged();
    if (!ifMatch.any || attempt === ANY_VERSION_ATTEMPTS) throw ifMatchFailed();
    item = again;
  }
}

// What handlers read and write through this module, as store/ has it (docs/architecture.md:
// no handler imports store/).
export { searchCases } from '../store/case-reads';
