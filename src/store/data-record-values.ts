/**
 * A data type's kept values of its queryable fields (#27, migration 0022): the triggers on
 * data_records keep them as records are written; this refills them when the type is redefined.
 */

/**
 * The type's kept values as its definition now says, for the batch that redefines it: none, or
 * the queryable fields' of every record (a type without one reads no record: the EXISTS is
 * evaluated once).
 */
export const refillStatements = (db: D1Database, typeId: string): D1PreparedStatement[] => [
  db.prepare('DELETE FROM data_record_values WHERE data_type_id = ?').bind(typeId),
  db
    .prepare(
      `INSERT OR IGNORE INTO data_record_values (data_type_id, field, value, key)
       SELECT r.data_type_id, j.key, iif(j.type = 'text', lower(j.value), j.value), r.key
       FROM data_records r, json_each(r.content) j
       WHERE EXISTS (SELECT 1 FROM data_types WHERE id = ?1
           AND instr(fields, '"queryable":true') > 0)
         AND r.data_type_id = ?1 AND j.type IN ('text', 'integer', 'real') AND j.key IN (
           SELECT f.value ->> 'name' FROM data_types t, json_each(t.fields) f
           WHERE t.id = ?1 AND f.value ->> 'queryable' = 1)`,
    )
    .bind(typeId),
];
