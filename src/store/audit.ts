import type { Actor, Page } from '../domain/model';
import { containing } from './like';

export interface AuditEvent {
  id: number;
  at: string;
  actor: string;
  action: string;
  targetType: string;
  targetId: string;
  detail: Record<string, unknown>;
}

export type NewAuditEvent = Omit<AuditEvent, 'id' | 'actor' | 'at' | 'detail'> & {
  actor: Actor;
  at?: string;
  detail?: Record<string, unknown>;
};

/**
 * An audit row, for the same D1 batch as the change it records. It is written only if the
 * statement just before it in the batch changed a row (`changes()`), so an update that found
 * nothing leaves no trace of a change that did not happen. Never pass a secret in `detail`.
 */
export function auditStatement(db: D1Database, event: NewAuditEvent): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO audit_log (at, actor, action, target_type, target_id, detail)
       SELECT ?, ?, ?, ?, ?, ? WHERE changes() > 0`,
    )
    .bind(
      event.at ?? new Date().toISOString(),
      event.actor.id,
      event.action,
      event.targetType,
      event.targetId,
      JSON.stringify(event.detail ?? {}),
    );
}

/**
 * Audit rows, one per event, in one statement for the same D1 batch as the change they record,
 * written only while `guard` (an SQL condition) holds: a change guarded by the same condition
 * and their rows stand or fall together. Never pass a secret in `detail`.
 */
export function auditRowsStatement(
  db: D1Database,
  events: NewAuditEvent[],
  guard: { sql: string; args: unknown[] },
): D1PreparedStatement {
  const at = new Date().toISOString();
  const rows = events.map((event) => ({
    at: event.at ?? at,
    actor: event.actor.id,
    action: event.action,
    targetType: event.targetType,
    targetId: event.targetId,
    detail: JSON.stringify(event.detail ?? {}),
  }));
  return db
    .prepare(
      `INSERT INTO audit_log (at, actor, action, target_type, target_id, detail)
       SELECT value ->> 'at', value ->> 'actor', value ->> 'action', value ->> 'targetType',
         value ->> 'targetId', value ->> 'detail'
       FROM json_each(?) WHERE ${guard.sql}`,
    )
    .bind(JSON.stringify(rows), ...guard.args);
}

/**
 * Runs a change and its audit entry in one D1 batch: both happen, or neither does. Returns the
 * rows the change returned (`RETURNING`), empty when it touched none.
 */
export async function applyAudited(
  db: D1Database,
  change: D1PreparedStatement,
  event: NewAuditEvent,
): Promise<unknown[]> {
  const [result] = await db.batch([change, auditStatement(db, event)]);
  return result?.results ?? [];
}

interface AuditRow {
  id: number;
  at: string;
  actor: string;
  action: string;
  target_type: string;
  target_id: string;
  detail: string;
}

/** Narrows the audit log: exact target type or action, and text the actor or target contains. */
export interface AuditFilter {
  targetType?: string | undefined;
  /** Exactly this target (a case's history). */
  targetId?: string | undefined;
  action?: string | undefined;
  search?: string | undefined;
}

/** Newest first; the cursor is the ID of the last event on the previous page. */
export async function listAuditEvents(
  db: D1Database,
  limit: number,
  beforeId: number | undefined,
  filter: AuditFilter = {},
): Promise<Page<AuditEvent>> {
  const pattern = filter.search ? containing(filter.search) : '%';
  const { results } = await db
    .prepare(
      `SELECT * FROM audit_log WHERE id < ? AND (? IS NULL OR target_type = ?)
         AND (? IS NULL OR action = ?) AND (? IS NULL OR target_id = ?)
         AND (actor LIKE ? ESCAPE '\\' OR target_id LIKE ? ESCAPE '\\')
       ORDER BY id DESC LIMIT ?`,
    )
    .bind(
      beforeId ?? Number.MAX_SAFE_INTEGER,
      filter.targetType ?? null,
      filter.targetType ?? null,
      filter.action ?? null,
      filter.action ?? null,
      filter.targetId ?? null,
      filter.targetId ?? null,
      pattern,
      pattern,
      limit + 1,
    )
    .all<AuditRow>();
  const items = results.slice(0, limit).map((row) => ({
    id: row.id,
    at: row.at,
    actor: row.actor,
    action: row.action,
    targetType: row.target_type,
    targetId: row.target_id,
    detail: JSON.parse(row.detail) as Record<string, unknown>,
  }));
  const last = items.at(-1);
  return { items, nextCursor: results.length > limit && last ? String(last.id) : undefined };
}
