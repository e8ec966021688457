/**
 * Admin resources (operators, clients, case types) carry a `version` column: the ETag. Every
 * change is one UPDATE or DELETE that writes only what was sent, raises the version, and holds
 * the If-Match precondition in its WHERE clause, so two concurrent changes can neither undo
 * each other nor slip between a check and a write.
 */

type Value = string | number | null;

/** `version IN (...)` for the versions If-Match named; true for none given (null = any). */
export function versionMatches(expected: number[] | null): { sql: string; args: Value[] } {
  const list = expected === null ? null : JSON.stringify(expected);
  return { sql: '(? IS NULL OR version IN (SELECT value FROM json_each(?)))', args: [list, list] };
}

/**
 * `UPDATE table SET <sent columns>, <computed>, version = version + 1 WHERE id = ? AND <If-Match>
 * RETURNING *`. Columns whose value is undefined were not sent and are left as they are;
 * `computed` holds SQL assignments that depend on the row as it is (e.g. a counter).
 */
export function versionedUpdate(
  db: D1Database,
  table: 'operators' | 'clients' | 'case_types',
  id: string,
  columns: Record<string, Value | undefined>,
  expected: number[] | null,
  computed: { sql: string; args: Value[] }[] = [],
  /** Further preconditions, ANDed into the WHERE clause. */
  conditions: { sql: string; args: Value[] }[] = [],
): D1PreparedStatement {
  const sent = Object.entries(columns).filter(([, value]) => value !== undefined);
  const assignments = [
    ...sent.map(([column]) => `${column} = ?`),
    ...computed.map((part) => part.sql),
    'version = version + 1',
  ];
  const condition = versionMatches(expected);
  return db
    .prepare(
      `UPDATE ${table} SET ${assignments.join(', ')} WHERE id = ? AND ${[condition, ...conditions].map((part) => part.sql).join(' AND ')} RETURNING *`,
    )
    .bind(
      ...sent.map(([, value]) => value as Value),
      ...computed.flatMap((part) => part.args),
      id,
      ...condition.args,
      ...conditions.flatMap((part) => part.args),
    );
}
