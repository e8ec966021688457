import { sha256Hex } from '../crypto/secrets';
import {
  caseNotFound,
  caseTypeIdMissing,
  caseTypeNotFound,
  idempotencyKeyReused,
  ifMatchFailed,
  insufficientPrivilege,
  invalidRequest,
  processNotFound,
} from '../errors';
import { getCaseType } from '../store/case-types';
import {
  findIdempotencyRecord,
  getCase,
  insertCase,
  listCases,
  updateCaseContent,
} from '../store/cases';
import { isConstraintViolation } from '../store/errors';
import { maySeeCase, mayUseCaseType } from './access';
import { mergedCaseContent, newCaseContent } from './case-content';
import { CASE_STATUS, type Case, type Page, type Principal } from './model';
import { type IfMatch, ifMatchAccepts } from './versioned';

export const DEFAULT_PROCESS_ID = 'pyStartCase';
const IDEMPOTENCY_WINDOW_MS = 24 * 60 * 60 * 1000;

export interface CreateCaseRequest {
  caseTypeID?: string | undefined;
  processID?: string | undefined;
  parentCaseID?: string | undefined;
  content?: Record<string, unknown> | undefined;
}

export interface CreatedCase {
  item: Case;
  processId: string;
  /** True when an Idempotency-Key retry returned the first result. */
  replayed: boolean;
}

/** `Cnow-connectnow-Work-CityServicesRequest` → `CNOW-CONNECTNOW-WORK ` (Pega's case ID stem). */
export function caseIdStem(caseTypeId: string): string {
  const segments = caseTypeId.split('-');
  const stem = segments.length > 1 ? segments.slice(0, -1) : segments;
  return `${stem.join('-').toUpperCase()} `;
}

/** A case the principal may see, else Pega_API_011 404 as if it did not exist. */
export async function readCase(db: D1Database, principal: Principal, id: string): Promise<Case> {
  const item = await getCase(db, id);
  if (!item || !maySeeCase(principal.operator, item)) throw caseNotFound(id);
  return item;
}

async function replay(
  db: D1Database,
  principal: Principal,
  key: string,
  fingerprint: string,
): Promise<CreatedCase | null> {
  const notBefore = new Date(Date.now() - IDEMPOTENCY_WINDOW_MS).toISOString();
  const record = await findIdempotencyRecord(db, principal.client.id, key, notBefore);
  if (!record) return null;
  if (record.fingerprint !== fingerprint) throw idempotencyKeyReused();
  const item = await readCase(db, principal, record.caseId);
  return { item, processId: record.processId, replayed: true };
}

export async function createCase(
  db: D1Database,
  principal: Principal,
  request: CreateCaseRequest,
  idempotency: { key: string; body: string } | undefined,
): Promise<CreatedCase> {
  const fingerprint = idempotency ? await sha256Hex(idempotency.body) : '';
  if (idempotency) {
    const first = await replay(db, principal, idempotency.key, fingerprint);
    if (first) return first;
  }

  const { operator } = principal;
  if (!request.caseTypeID) throw caseTypeIdMissing();
  const caseType = await getCaseType(db, request.caseTypeID);
  if (!caseType) throw caseTypeNotFound(400, request.caseTypeID);
  if (!mayUseCaseType(operator, caseType.id)) {
    throw insufficientPrivilege(`Operator ${operator.id} may not create ${caseType.id} cases.`);
  }
  const processId = request.processID ?? DEFAULT_PROCESS_ID;
  if (!caseType.startingProcesses.some((process) => process.ID === processId)) {
    throw processNotFound(processId, caseType.id);
  }
  if (request.parentCaseID !== undefined) {
    const parent = await getCase(db, request.parentCaseID);
    if (!parent || !maySeeCase(operator, parent)) {
      throw invalidRequest('The request body is invalid.', [
        { path: '.parentCaseID', message: `Case ${request.parentCaseID} not found.` },
      ]);
    }
  }
  const content = newCaseContent(caseType.fields, request.content ?? {});

  const at = new Date();
  try {
    const item = await insertCase(
      db,
      {
        idStem: caseIdStem(caseType.id),
        idPrefix: caseType.idPrefix,
        caseTypeId: caseType.id,
        caseTypeName: caseType.name,
        status: CASE_STATUS.new,
        content,
        parentCaseId: request.parentCaseID ?? null,
        operatorId: operator.id,
        clientId: principal.client.id,
        at: at.toISOString(),
      },
      idempotency && {
        clientId: principal.client.id,
        key: idempotency.key,
        fingerprint,
        processId,
        expiredBefore: new Date(at.getTime() - IDEMPOTENCY_WINDOW_MS).toISOString(),
      },
    );
    return { item, processId, replayed: false };
  } catch (error) {
    // A concurrent retry with the same key won the race; its whole batch stands, ours rolled back.
    if (idempotency && isConstraintViolation(error, 'UNIQUE')) {
      const first = await replay(db, principal, idempotency.key, fingerprint);
      if (first) return first;
    }
    throw error;
  }
}

export function listVisibleCases(
  db: D1Database,
  principal: Principal,
  limit: number,
  beforeSeq: number | undefined,
): Promise<Page<Case>> {
  const group = principal.operator.accessGroup;
  return listCases(
    db,
    {
      createdBy: group.caseVisibility === 'own' ? principal.operator.id : undefined,
      caseTypeIds: group.caseTypes.includes('*') ? undefined : group.caseTypes,
    },
    limit,
    beforeSeq,
  );
}

/** `If-Match: *` retries a write that lost a race this often before it answers 412. */
const ANY_VERSION_ATTEMPTS = 16;

/**
 * Merges `content` into the case and writes it only if the version is still the one it was
 * merged into (compare-and-set). A version named in If-Match that has moved is a 412, never a
 * lost update. `*` means whatever version is current: a write that lost a race merges again
 * into the newer content and retries (every lost race is another writer's success, so with
 * up to ANY_VERSION_ATTEMPTS writers at once every one of them lands).
 */
export async function updateCase(
  db: D1Database,
  principal: Principal,
  id: string,
  ifMatch: IfMatch,
  changes: Record<string, unknown>,
): Promise<Case> {
  let item = await readCase(db, principal, id);
  const caseType = await getCaseType(db, item.caseTypeId);
  if (!caseType) throw caseNotFound(id);
  for (let attempt = 1; ; attempt += 1) {
    if (!ifMatchAccepts(ifMatch, item.version)) throw ifMatchFailed();
    const updated = await updateCaseContent(db, item, {
      content: mergedCaseContent(caseType.fields, item.content, changes),
      status: item.status === CASE_STATUS.new ? CASE_STATUS.open : item.status,
      operatorId: principal.operator.id,
      at: new Date().toISOString(),
    });
    if (updated) return updated;
    if (!ifMatch.any || attempt === ANY_VERSION_ATTEMPTS) throw ifMatchFailed();
    item = await readCase(db, principal, id);
  }
}
