import type { Actor } from '../domain/model';
import { auditStatement } from './audit';
import { VISIBLE_TO_OPERATOR } from './case-rows';
import type { WriteGuard } from './guards';
import { oneStatement, type Reads } from './reads';

/**
 * Who and what is attached to a case beside its content (DX case model §5): followers, tags and
 * related cases, each a row per case and member. A write is one statement guarded in its own
 * SQL (the caller's token and the case's visibility, `guard`) and its history row after it; the
 * state before it is read in the same batch, so every member's result is known without a
 * second round trip.
 */

/** One kind of member: its table, the column that names it, and what makes a name valid. */
interface Kind {
  table: 'case_followers' | 'case_tags' | 'case_relations';
  column: 'operator_id' | 'tag' | 'related_case_id';
  /** Per member `m.value`: it may be added (the operator exists, the case is visible, …). */
  valid: (operatorId: string) => WriteGuard;
  /** Columns written beside case, member and time. */
  by?: boolean;
}

const FOLLOWERS: Kind = {
  table: 'case_followers',
  column: 'operator_id',
  valid: () => ({ sql: 'EXISTS (SELECT 1 FROM operators WHERE id = m.value)', args: [] }),
};

const TAGS: Kind = {
  table: 'case_tags',
  column: 'tag',
  valid: () => ({ sql: '1', args: [] }),
  by: true,
};

const RELATIONS: Kind = {
  table: 'case_relations',
  column: 'related_case_id',
  valid: (operatorId) => ({
    sql: `EXISTS (SELECT 1 FROM cases c WHERE c.id = m.value AND ${VISIBLE_TO_OPERATOR})`,
    args: [operatorId],
  }),
  by: true,
};

export const KINDS = { followers: FOLLOWERS, tags: TAGS, relations: RELATIONS };
export type KindName = keyof typeof KINDS;

/** Of `members`, those valid for the operator, and of those the ones the case already has. */
export interface MembersBefore {
  valid: Set<string>;
  present: Set<string>;
}

/** Who writes: the operator (its visibility, `created_by`) and the history's actor. */
export interface By {
  operatorId: string;
  actor: Actor;
}

/** What an add found before it and what it added, in the batch that authorizes it. */
export interface Added extends MembersBefore {
  added: string[];
}

/** The members of case `caseId` named in `members`: valid ones, and those it already has. */
function membersBefore(
  db: D1Database,
  kind: Kind,
  caseId: string,
  operatorId: string,
  members: string[],
): D1PreparedStatement {
  const valid = kind.valid(operatorId);
  return db
    .prepare(
      `SELECT m.value AS member, ${valid.sql} AS valid,
         EXISTS (SELECT 1 FROM ${kind.table} WHERE case_id = ? AND ${kind.column} = m.value)
           AS present
       FROM json_each(?) m`,
    )
    .bind(...valid.args, caseId, JSON.stringify(members));
}

const beforeFrom = (rows: unknown[]): MembersBefore => {
  const typed = rows as { member: string; valid: number; present: number }[];
  return {
    valid: new Set(typed.filter((row) => row.valid).map((row) => row.member)),
    present: new Set(typed.filter((row) => row.present).map((row) => row.member)),
  };
};

/**
 * Adds `members` to case `caseId`, each that is valid and not there yet, while `guard` holds;
 * its history row (`action`) only if one was added. Reads what was there before, in one batch.
 */
export function addMembers(
  db: D1Database,
  name: KindName,
  caseId: string,
  members: string[],
  { operatorId, actor }: By,
  action: string,
  guard: WriteGuard,
): Reads<Added> {
  const kind = KINDS[name];
  const at = new Date().toISOString();
  const valid = kind.valid(operatorId);
  const byColumn = kind.by ? ', created_by' : '';
  const byValue = kind.by ? ', ?' : '';
  const statements = [
    membersBefore(db, kind, caseId, operatorId, members),
    ...(name === 'tags'
      ? [
          db
            .prepare(
              `INSERT INTO tags (name, created_at) SELECT m.value, ? FROM json_each(?) m
               WHERE ${guard.sql} ON CONFLICT DO NOTHING`,
            )
            .bind(at, JSON.stringify(members), ...guard.args),
        ]
      : []),
    db
      .prepare(
        `INSERT INTO ${kind.table} (case_id, ${kind.column}, created_at${byColumn})
         SELECT ?, m.value, ?${byValue} FROM json_each(?) m
         WHERE ${valid.sql} AND ${guard.sql}
         ON CONFLICT DO NOTHING RETURNING ${kind.column} AS member`,
      )
      .bind(
        caseId,
        at,
        ...(kind.by ? [operatorId] : []),
        JSON.stringify(members),
        ...valid.args,
        ...guard.args,
      ),
    auditStatement(db, {
      actor,
      action,
      targetType: 'case',
      targetId: caseId,
      at,
      detail: { [name]: members },
    }),
  ];
  return {
    statements,
    from: (results) => ({
      ...beforeFrom(results[0] ?? []),
      added: ((results.at(-2) ?? []) as { member: string }[]).map((row) => row.member),
    }),
  };
}

/** Removes one member of case `caseId` while `guard` holds; whether it was there. */
export function removeMember(
  db: D1Database,
  name: KindName,
  caseId: string,
  member: string,
  { actor }: By,
  action: string,
  guard: WriteGuard,
): Reads<boolean> {
  const kind = KINDS[name];
  return {
    statements: [
      db
        .prepare(
          `DELETE FROM ${kind.table} WHERE case_id = ? AND ${kind.column} = ? AND ${guard.sql}
           RETURNING 1`,
        )
        .bind(caseId, member, ...guard.args),
      auditStatement(db, {
        actor,
        action,
        targetType: 'case',
        targetId: caseId,
        detail: { [name]: [member] },
      }),
    ],
    from: ([rows = []]) => rows.length > 0,
  };
}

/** Takes an add back (its token was refused after it): the members it added go. */
export async function undoAdd(db: D1Database, name: KindName, caseId: string, added: string[]) {
  const kind = KINDS[name];
  if (added.length === 0) return;
  await db
    .prepare(
      `DELETE FROM ${kind.table} WHERE case_id = ? AND ${kind.column} IN (SELECT value FROM json_each(?))`,
    )
    .bind(caseId, JSON.stringify(added))
    .run();
}

/** Takes a removal back: the member comes back. */
export async function undoRemove(
  db: D1Database,
  name: KindName,
  caseId: string,
  member: string,
  operatorId: string,
) {
  const kind = KINDS[name];
  const by = kind.by ? ', created_by' : '';
  await db
    .prepare(
      `INSERT INTO ${kind.table} (case_id, ${kind.column}, created_at${by})
       VALUES (?, ?, ?${kind.by ? ', ?' : ''}) ON CONFLICT DO NOTHING`,
    )
    .bind(caseId, member, new Date().toISOString(), ...(kind.by ? [operatorId] : []))
    .run();
}

export interface FollowerRow {
  ID: string;
  name: string;
}

/** The case's followers, first followed first, with their operators' names. */
export const followersRead = (db: D1Database, caseId: string): Reads<FollowerRow[]> =>
  oneStatement(
    db
      .prepare(
        `SELECT o.id AS ID, o.name AS name FROM case_followers f
         JOIN operators o ON o.id = f.operator_id
         WHERE f.case_id = ? ORDER BY f.created_at, f.operator_id LIMIT 500`,
      )
      .bind(caseId),
    (rows) => rows as FollowerRow[],
  );

/** The case's tags, in the order they were added. */
export const tagsRead = (db: D1Database, caseId: string): Reads<string[]> =>
  oneStatement(
    db
      .prepare('SELECT tag FROM case_tags WHERE case_id = ? ORDER BY created_at, tag LIMIT 500')
      .bind(caseId),
    (rows) => (rows as { tag: string }[]).map((row) => row.tag),
  );

/** Known tags starting with `prefix` (lower-cased), in order: reads what it lists. */
export const tagSuggestionsRead = (db: D1Database, prefix: string, limit: number) =>
  oneStatement(
    db
      .prepare(
        // A range on the primary key: `name >= prefix AND name < prefix + U+FFFF`.
        `SELECT name FROM tags WHERE name >= ? AND name < ? || char(65535) ORDER BY name LIMIT ?`,
      )
      .bind(prefix, prefix, limit),
    (rows) => (rows as { name: string }[]).map((row) => row.name),
  );

export interface RelatedRow {
  ID: string;
  status: string;
  caseTypeId: string;
  caseTypeName: string;
  /** Whether the operator may open it: else only its ID and status are shown. */
  visible: boolean;
}

/** The cases case `caseId` relates to, first related first, each as `operatorId` may see it. */
export const relatedCasesRead = (
  db: D1Database,
  caseId: string,
  operatorId: string,
): Reads<RelatedRow[]> =>
  oneStatement(
    db
      .prepare(
        `SELECT c.id AS ID, c.status AS status, c.case_type_id AS caseTypeId,
           t.name AS caseTypeName, ${VISIBLE_TO_OPERATOR} AS visible
         FROM case_relations r JOIN cases c ON c.id = r.related_case_id
         JOIN case_types t ON t.id = c.case_type_id
         WHERE r.case_id = ? ORDER BY r.created_at, r.related_case_id LIMIT 500`,
      )
      .bind(operatorId, caseId),
    (rows) =>
      (rows as (Omit<RelatedRow, 'visible'> & { visible: number })[]).map((row) => ({
        ...row,
        visible: row.visible === 1,
      })),
  );
