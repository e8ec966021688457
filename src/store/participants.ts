import type { Actor } from '../domain/model';
import { auditStatement } from './audit';
import type { WriteGuard } from './guards';
import { parseJsonColumn } from './json';
import { oneStatement, type Reads } from './reads';

/**
 * Participants of a case (DX case model §5): who holds which of its case type's roles, with their
 * Data-Party content. A change to them is a change of the case: one batch raises the case's
 * version (If-Match, the caller's guard, and the role's rules, all in that statement's SQL) and
 * then, only if it did (`changes()`), writes the participant and the history row.
 */

export type PartyContent = Record<string, string>;

export interface ParticipantRow {
  participantID: string;
  participantRoleID: string;
  content: PartyContent;
}

interface Row {
  participant_id: string;
  role_id: string;
  content: string;
}

const fromRow = (row: Row): ParticipantRow => ({
  participantID: row.participant_id,
  participantRoleID: row.role_id,
  content: parseJsonColumn(row.content),
});

/** A case's participants, in the order they were added (at most 200). */
export const participantsRead = (db: D1Database, caseId: string): Reads<ParticipantRow[]> =>
  oneStatement(
    db
      .prepare(
        `SELECT participant_id, role_id, content FROM case_participants WHERE case_id = ?
         ORDER BY created_at, participant_id LIMIT 200`,
      )
      .bind(caseId),
    (rows) => (rows as Row[]).map(fromRow),
  );

/** The case's role `?` (by the case type of `cases`), as JSON, where the type defines it. */
const ROLE = `(SELECT r.value FROM case_types t, json_each(t.participant_roles) r
    WHERE t.id = cases.case_type_id AND r.value ->> 'ID' = ?)`;

/** What a change of the case's participants holds to: the case's version and the guard. */
export interface CaseChange {
  caseId: string;
  /** null: any version (`If-Match: *`). */
  versions: number[] | null;
  operatorId: string;
  actor: Actor;
  at: string;
  guard: WriteGuard;
}

/** Raises the case's version where `extra` (and the change's conditions) hold. */
function bumpCase(db: D1Database, change: CaseChange, extra: WriteGuard) {
  return db
    .prepare(
      `UPDATE cases SET version = version + 1, updated_at = ?, last_updated_by = ?
       WHERE id = ? AND (? IS NULL OR version IN (SELECT value FROM json_each(?)))
         AND ${change.guard.sql} AND ${extra.sql}
       RETURNING version`,
    )
    .bind(
      change.at,
      change.operatorId,
      change.caseId,
      change.versions && JSON.stringify(change.versions),
      change.versions && JSON.stringify(change.versions),
      ...change.guard.args,
      ...extra.args,
    );
}

const history = (db: D1Database, change: CaseChange, action: string, participantId: string) =>
  auditStatement(db, {
    actor: change.actor,
    action,
    targetType: 'case',
    targetId: change.caseId,
    at: change.at,
    detail: { participant: participantId },
  });

/** What a write returned: the case's new version and the participant as written, if it was. */
export interface ParticipantWrite {
  version: number | null;
  participant: ParticipantRow | null;
}

const writeFrom = (results: unknown[][]): ParticipantWrite => {
  const [bumped, written] = results;
  const row = written?.[0] as Row | undefined;
  return {
    version: (bumped?.[0] as { version: number } | undefined)?.version ?? null,
    participant: row ? fromRow(row) : null,
  };
};

/**
 * Adds a participant in role `roleId`: the role must be the case type's, and a one-holder role
 * free. Its ID is the role's for a one-holder role, else `<Role>_<nn>`, the next number.
 */
export function addParticipant(
  db: D1Database,
  change: CaseChange,
  roleId: string,
  content: PartyContent,
): Reads<ParticipantWrite> {
  const allowed = {
    sql: `${ROLE} IS NOT NULL AND NOT (${ROLE} ->> 'single' IS 1 AND EXISTS
        (SELECT 1 FROM case_participants p WHERE p.case_id = cases.id AND p.role_id = ?))`,
    args: [roleId, roleId, roleId],
  };
  const single = `EXISTS (SELECT 1 FROM cases, case_types t, json_each(t.participant_roles) r
      WHERE cases.id = ? AND t.id = cases.case_type_id AND r.value ->> 'ID' = ?
        AND r.value ->> 'single' = 1)`;
  return {
    statements: [
      bumpCase(db, change, allowed),
      db
        .prepare(
          `INSERT INTO case_participants
             (case_id, participant_id, role_id, content, created_at, updated_at)
           SELECT ?, CASE WHEN ${single} THEN ? ELSE ? || '_' || printf('%02d', 1 + COALESCE(
               (SELECT MAX(CAST(substr(participant_id, length(?) + 2) AS INTEGER))
                FROM case_participants WHERE case_id = ? AND role_id = ?), 0)) END,
             ?, ?, ?, ?
           WHERE changes() > 0
           RETURNING participant_id, role_id, content`,
        )
        .bind(
          change.caseId,
          change.caseId,
          roleId,
          roleId,
          roleId,
          roleId,
          change.caseId,
          roleId,
          roleId,
          JSON.stringify(content),
          change.at,
          change.at,
        ),
      history(db, change, 'case.participants.add', roleId),
    ],
    from: writeFrom,
  };
}

const exists = (caseId: string, participantId: string): WriteGuard => ({
  sql: 'EXISTS (SELECT 1 FROM case_participants WHERE case_id = ? AND participant_id = ?)',
  args: [caseId, participantId],
});

/** Merges `content` into a participant's (a null removes a field). */
export function patchParticipant(
  db: D1Database,
  change: CaseChange,
  participantId: string,
  content: Record<string, string | null>,
): Reads<ParticipantWrite> {
  return {
    statements: [
      bumpCase(db, change, exists(change.caseId, participantId)),
      db
        .prepare(
          `UPDATE case_participants SET content = json_patch(content, ?), updated_at = ?
           WHERE case_id = ? AND participant_id = ? AND changes() > 0
           RETURNING participant_id, role_id, content`,
        )
        .bind(JSON.stringify(content), change.at, change.caseId, participantId),
      history(db, change, 'case.participants.update', participantId),
    ],
    from: writeFrom,
  };
}

/** Removes a participant. */
export function removeParticipant(
  db: D1Database,
  change: CaseChange,
  participantId: string,
): Reads<ParticipantWrite> {
  return {
    statements: [
      bumpCase(db, change, exists(change.caseId, participantId)),
      db
        .prepare(
          `DELETE FROM case_participants WHERE case_id = ? AND participant_id = ? AND changes() > 0
           RETURNING participant_id, role_id, content`,
        )
        .bind(change.caseId, participantId),
      history(db, change, 'case.participants.remove', participantId),
    ],
    from: writeFrom,
  };
}

/**
 * Takes a participant write back (its token was refused after it): the participant as it was
 * before (`before`, null for an add) comes back, and the write's history row goes. The case's
 * version stays raised: an ETag read before no longer matches, and a client reads it again.
 */
export async function undoParticipantWrite(
  db: D1Database,
  change: CaseChange,
  participantId: string,
  before: ParticipantRow | null,
): Promise<void> {
  const restore = before
    ? db
        .prepare(
          `INSERT INTO case_participants
             (case_id, participant_id, role_id, content, created_at, updated_at)
           VALUES (?, ?, ?, ?, ?, ?)
           ON CONFLICT (case_id, participant_id) DO UPDATE SET content = excluded.content`,
        )
        .bind(
          change.caseId,
          participantId,
          before.participantRoleID,
          JSON.stringify(before.content),
          change.at,
          change.at,
        )
    : db
        .prepare('DELETE FROM case_participants WHERE case_id = ? AND participant_id = ?')
        .bind(change.caseId, participantId);
  await db.batch([
    restore,
    db
      .prepare(
        `DELETE FROM audit_log WHERE target_type = 'case' AND target_id = ? AND actor = ?
           AND at = ? AND action LIKE 'case.participants.%'`,
      )
      .bind(change.caseId, change.actor.id, change.at),
  ]);
}
