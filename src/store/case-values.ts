/**
 * The values of queryable fields (#27), kept in `case_values` by triggers on `cases` (migration
 * 0020). When an admin marks or unmarks a field, a type's values are rebuilt: its rows go, it is
 * listed in `case_values_fill`, and batches of its cases are filled in, oldest first, by the
 * admin's request and then by the cron, while its data views scan as before.
 */

/** The queryable field names of the type `?` (case_types.fields with "queryable": true). */
const QUERYABLE = `SELECT f.value ->> 'name' FROM case_types t, json_each(t.fields) f
  WHERE t.id = ? AND f.value ->> 'queryable' = 1`;

/** The statements that start rebuilding a type's values. */
export const startFillStatements = (db: D1Database, typeId: string) => [
  db.prepare('DELETE FROM case_values WHERE case_type_id = ?').bind(typeId),
  db.prepare('DELETE FROM case_text WHERE case_type_id = ?').bind(typeId),
  db
    .prepare(
      `INSERT INTO case_values_fill (case_type_id, next_seq) VALUES (?, 0)
       ON CONFLICT (case_type_id) DO UPDATE SET next_seq = 0`,
    )
    .bind(typeId),
];

/** Fills the next `size` cases of a type; true once the type is done. */
export async function fillBatch(db: D1Database, typeId: string, size: number): Promise<boolean> {
  const next = `SELECT seq FROM cases WHERE case_type_id = ?
    AND seq > (SELECT next_seq FROM case_values_fill WHERE case_type_id = ?) ORDER BY seq LIMIT ?`;
  const [, , , done] = await db.batch([
    db
      .prepare(
        `INSERT OR IGNORE INTO case_values (case_type_id, field, value, seq)
         SELECT c.case_type_id, j.key, iif(j.type = 'text', lower(j.value), j.value), c.seq
         FROM cases c, json_each(c.content) j
         WHERE c.seq IN (${next})
           AND j.type IN ('text', 'integer', 'real') AND j.key IN (${QUERYABLE})`,
      )
      .bind(typeId, typeId, size, typeId),
    db
      .prepare(
        `INSERT OR REPLACE INTO case_text (rowid, value, case_type_id, field)
         SELECT c.seq * 256 + f.key, j.value, c.case_type_id, j.key
         FROM cases c, json_each(c.content) j, case_types t, json_each(t.fields) f
         WHERE c.seq IN (${next}) AND j.type = 'text' AND t.id = c.case_type_id
           AND f.value ->> 'name' = j.key AND f.value ->> 'queryable' = 1`,
      )
      .bind(typeId, typeId, size),
    db
      .prepare(
        `UPDATE case_values_fill SET next_seq = COALESCE((SELECT MAX(seq) FROM (${next})), next_seq)
         WHERE case_type_id = ?`,
      )
      .bind(typeId, typeId, size, typeId),
    db
      .prepare(
        `DELETE FROM case_values_fill WHERE case_type_id = ? AND NOT EXISTS
           (SELECT 1 FROM cases WHERE case_type_id = ? AND seq > case_values_fill.next_seq)
         RETURNING 1`,
      )
      .bind(typeId, typeId),
  ]);
  return (done?.results.length ?? 0) > 0;
}

/** The types whose values are still being filled in. */
export async function pendingFills(db: D1Database): Promise<string[]> {
  const { results } = await db
    .prepare('SELECT case_type_id FROM case_values_fill ORDER BY case_type_id LIMIT 100')
    .all<{ case_type_id: string }>();
  return results.map((row) => row.case_type_id);
}

/** The queryable field names of a type as stored. */
export async function queryableFieldsOf(db: D1Database, typeId: string): Promise<string[]> {
  const { results } = await db.prepare(QUERYABLE).bind(typeId).all<Record<string, string>>();
  return results.map((row) => Object.values(row)[0] as string);
}
