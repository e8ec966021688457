import { AppError, caseNotFound, invalidRequest, notFound, principalChanged } from '../errors';
import { caseRead } from '../store/case-reads';
import {
  type Added,
  addMembers,
  type By,
  followersRead,
  type KindName,
  relatedCasesRead,
  removeMember,
  tagSuggestionsRead,
  tagsRead,
  undoAdd,
  undoRemove,
} from '../store/collaboration';
import { allOf, caseVisibleTo, tokenStillHolds, type WriteGuard } from '../store/guards';
import { participantsRead } from '../store/participants';
import { allReads, type Reads } from '../store/reads';

export type { KindName } from '../store/collaboration';

import { maySeeCase } from './access';
import { actorOf } from './cases';
import type { Case, Principal } from './model';

/**
 * Collaboration on a case (DX case model §5): followers, tags and related cases. Every read here
 * comes beside the bearer check, and every write in the batch that authorizes it (one level),
 * guarded in its SQL by the token and the case's visibility (`Writer`), with the state before it
 * read in the same batch so that each member's result is known at once.
 */

/** Who writes, as a write's SQL guard checks it: from the token, or from the principal. */
export interface Writer {
  clientId: string;
  operatorId: string;
  generation: number;
  jti: string;
}

export const writerOf = (principal: Principal): Writer => ({
  clientId: principal.client.id,
  operatorId: principal.operator.id,
  generation: principal.tokenGeneration,
  jti: principal.tokenId,
});

/** A write to case `caseId` holds while the token does (`scope`) and the case is visible. */
export const caseWriteGuard = (writer: Writer, scope: string, caseId: string): WriteGuard =>
  allOf(tokenStillHolds(writer, scope), caseVisibleTo(caseId, writer.operatorId));

const byOf = (writer: Writer): By => ({
  operatorId: writer.operatorId,
  actor: actorOf(writer.operatorId, writer.clientId),
});

/** A read or write of a case's members, with the case read beside it to answer 404. */
export interface OnCase<T> extends Reads<{ item: Case | null; value: T }> {
  undo?: (found: { item: Case | null; value: T }) => Promise<void>;
}

const onCase = <T>(db: D1Database, caseId: string, reads: Reads<T>): OnCase<T> =>
  allReads({ item: caseRead(db, caseId), value: reads });

/** From an OnCase read: the value, where the principal may see the case; else 404. */
export function onVisibleCase<T>(
  principal: Principal,
  caseId: string,
  { item, value }: { item: Case | null; value: T },
): { item: Case; value: T } {
  if (!item || !maySeeCase(principal.operator, item)) throw caseNotFound(caseId);
  return { item, value };
}

export const followersReads = (db: D1Database, caseId: string) =>
  onCase(db, caseId, followersRead(db, caseId));

export const tagsReads = (db: D1Database, caseId: string) =>
  onCase(db, caseId, tagsRead(db, caseId));

export const relatedCasesReads = (db: D1Database, caseId: string, operatorId: string) =>
  onCase(db, caseId, relatedCasesRead(db, caseId, operatorId));

export const tagSuggestionsReads = tagSuggestionsRead;

/**
 * Everything people attach to a case beside its content, for the console (the admin's, who sees
 * every case: the related cases' visibility is not asked).
 */
export const caseCollaborationReads = (db: D1Database, caseId: string) =>
  allReads({
    followers: followersRead(db, caseId),
    tags: tagsRead(db, caseId),
    related: relatedCasesRead(db, caseId, ''),
    participants: participantsRead(db, caseId),
  });

export type CaseCollaboration =
  ReturnType<typeof caseCollaborationReads> extends Reads<infer T> ? T : never;

/** One member's result of an add, as Pega answers it per user, tag or case. */
export interface MemberResult {
  ID: string;
  status: '201' | '400' | '404' | '409';
  error?: string;
}

/** How one kind of member is named in its refusals. */
interface Wording {
  invalid: (member: string) => { status: '400' | '404'; error: string };
  present: ((member: string) => string) | null;
}

const WORDING: Record<KindName, Wording> = {
  followers: {
    invalid: (id) => ({ status: '400', error: `User ${id} is not valid` }),
    present: (id) => `User ${id} is already a follower`,
  },
  // Re-adding a tag is a no-op: it is there, as asked.
  tags: {
    invalid: (name) => ({ status: '400', error: `Tag ${name} is not valid` }),
    present: null,
  },
  relations: {
    invalid: (id) => ({ status: '404', error: `Case ${id} not found` }),
    present: (id) => `Case ${id} is already related`,
  },
};

/** The members an add writes, each once, in the order sent. */
const distinct = (members: string[]) => [...new Set(members)];

/** Adds members of one kind to a case: one batch, with what was there before. */
export function planAdd(
  db: D1Database,
  writer: Writer,
  name: KindName,
  caseId: string,
  members: string[],
): OnCase<Added> {
  const reads = onCase(
    db,
    caseId,
    addMembers(
      db,
      name,
      caseId,
      distinct(members),
      byOf(writer),
      `case.${name}.add`,
      caseWriteGuard(writer, 'cases:update', caseId),
    ),
  );
  return { ...reads, undo: ({ value }) => undoAdd(db, name, caseId, value.added) };
}

/** Removes one member of a case: one batch. */
export function planRemove(
  db: D1Database,
  writer: Writer,
  name: KindName,
  caseId: string,
  member: string,
): OnCase<boolean> {
  const reads = onCase(
    db,
    caseId,
    removeMember(
      db,
      name,
      caseId,
      member,
      byOf(writer),
      `case.${name}.remove`,
      caseWriteGuard(writer, 'cases:update', caseId),
    ),
  );
  return {
    ...reads,
    undo: async ({ value }) => {
      if (value) await undoRemove(db, name, caseId, member, writer.operatorId);
    },
  };
}

/**
 * Each member's result of an add, from what the batch found: invalid, present, added. A valid
 * member neither present nor added was stopped by the guard: the principal changed mid-request.
 */
export function addResults(
  name: KindName,
  members: string[],
  { valid, present, added }: Added,
): MemberResult[] {
  const wording = WORDING[name];
  const written = new Set(added);
  return distinct(members).map((member): MemberResult => {
    if (!valid.has(member)) return { ID: member, ...wording.invalid(member) };
    if (written.has(member)) return { ID: member, status: '201' };
    if (present.has(member) && wording.present) {
      return { ID: member, status: '409', error: wording.present(member) };
    }
    if (present.has(member)) return { ID: member, status: '201' };
    throw principalChanged();
  });
}

/**
 * How an add answers (Pega): 201 when every member was added; one member refused alone is that
 * refusal; several with any refused are 207 with each result.
 */
export function addAnswer(results: MemberResult[]): { status: 201 | 207; results: MemberResult[] } {
  const failed = results.filter((result) => result.status !== '201');
  const [only] = results;
  if (failed.length === 0) return { status: 201, results };
  if (results.length === 1 && only?.error) {
    if (only.status === '404') throw notFound(only.error);
    if (only.status === '409') throw new AppError(409, 'conflict', only.error);
    throw invalidRequest(only.error);
  }
  return { status: 207, results };
}

/** Tag names: at most this long once cleaned. */
const MAX_TAG_LENGTH = 64;

/**
 * A tag's name as stored: control and bidi characters gone, white space collapsed, trimmed,
 * lower-cased; null when nothing is left or it is too long.
 */
export function tagName(raw: string): string | null {
  const name = raw
    // biome-ignore lint/suspicious/noControlCharactersInRegex: the characters removed.
    .replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, '')
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase();
  return name.length > 0 && name.length <= MAX_TAG_LENGTH ? name : null;
}

const TAG_KEY = 'DATA-SOCIAL-TAG ';

/** Pega's key of a tag on a case: `DATA-SOCIAL-TAG <work pool>!<NAME>`. */
export const tagKey = (caseId: string, name: string) =>
  `${TAG_KEY}${caseId.split(' ')[0]}!${name.toUpperCase()}`;

/** The tag a key (or a bare name) names, as stored. */
export const tagOfKey = (key: string) =>
  key.startsWith(TAG_KEY) ? key.slice(key.indexOf('!') + 1).toLowerCase() : key.toLowerCase();
