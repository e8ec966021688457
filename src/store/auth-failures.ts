/**
 * Failed client authentications, counted per key in fixed windows in D1, so the counts are
 * global rather than per Cloudflare location. Only failures are counted and only failures are
 * throttled: a correct secret is always accepted (see oauth/client-auth.ts).
 */

export interface ThrottleKey {
  key: string;
  /** Failures allowed in one window; past it, failures for the key answer 429. */
  limit: number;
}

export interface FailureCount {
  key: string;
  window_start: number;
  failures: number;
}

/**
 * The live failure counts of `keys` as one JSON column: for the statement that reads the
 * client (clientToAuthenticateRead), or on its own (failureCounts).
 */
export const failureCountsColumn = (keys: ThrottleKey[], windowSeconds: number, now: number) => ({
  sql: `(SELECT json_group_array(json_object('key', key, 'window_start', window_start,
      'failures', failures)) FROM auth_failures
    WHERE key IN (SELECT value FROM json_each(?)) AND window_start + ? > ?)`,
  args: [JSON.stringify(keys.map(({ key }) => key)), windowSeconds, now],
});

export const failureCountsFrom = (column: string | null | undefined): FailureCount[] =>
  column ? (JSON.parse(column) as FailureCount[]) : [];

/** The live failure counts of `keys`, read on their own. */
export async function failureCounts(
  db: D1Database,
  keys: ThrottleKey[],
  windowSeconds: number,
  now: number,
): Promise<FailureCount[]> {
  const column = failureCountsColumn(keys, windowSeconds, now);
  const row = await db
    .prepare(`SELECT ${column.sql} AS failure_counts`)
    .bind(...column.args)
    .first<{ failure_counts: string | null }>();
  return failureCountsFrom(row?.failure_counts);
}

/**
 * When the latest window ends (unix seconds) among the keys that are past their limit with the
 * failure at hand, or null if none is. `includesThisFailure`: the counts were returned by
 * recordFailure (they include it) rather than read before it.
 */
function throttledUntil(
  counts: FailureCount[],
  keys: ThrottleKey[],
  windowSeconds: number,
  includesThisFailure: boolean,
): number | null {
  const ends = counts
    .filter((row) => {
      const limit = keys.find(({ key }) => key === row.key)?.limit ?? Infinity;
      return includesThisFailure ? row.failures > limit : row.failures >= limit;
    })
    .map((row) => row.window_start + windowSeconds);
  return ends.length > 0 ? Math.max(...ends) : null;
}

/**
 * Counts one failure for each key, starting a new window where the last one has ended, and
 * returns the counts after it. One atomic upsert per key: concurrent failures each get their
 * own count, so no burst can slip more failures under the limit than it allows.
 */
async function recordFailure(
  db: D1Database,
  keys: ThrottleKey[],
  windowSeconds: number,
  now: number,
): Promise<FailureCount[]> {
  const upsert = db.prepare(
    `INSERT INTO auth_failures (key, window_start, failures) VALUES (?1, ?2, 1)
     ON CONFLICT (key) DO UPDATE SET
       failures = CASE WHEN window_start + ?3 <= ?2 THEN 1 ELSE failures + 1 END,
       window_start = CASE WHEN window_start + ?3 <= ?2 THEN ?2 ELSE window_start END
     RETURNING key, window_start, failures`,
  );
  const results = await db.batch<FailureCount>([
    ...keys.map(({ key }) => upsert.bind(key, now, windowSeconds)),
    // Forget windows that are over, so the table holds only live counts.
    db.prepare('DELETE FROM auth_failures WHERE window_start + ? <= ?').bind(windowSeconds, now),
  ]);
  return results.flatMap((result) => result.results);
}

/**
 * A failure: the seconds until the caller may try again when a key is past its limit with it,
 * else null. `counted` are the counts read before it (failureCountsColumn). A key already
 * over its limit is not counted again (its window's end is fixed, so counting would change
 * nothing but cost a write); otherwise the failure is counted first, atomically, and the
 * decision is made on the count that includes it.
 */
export async function countFailure(
  db: D1Database,
  keys: ThrottleKey[],
  windowSeconds: number,
  now: number,
  counted: FailureCount[],
): Promise<number | null> {
  const alreadyOver = throttledUntil(counted, keys, windowSeconds, false);
  if (alreadyOver !== null) return alreadyOver - now;
  const counts = await recordFailure(db, keys, windowSeconds, now);
  const over = throttledUntil(counts, keys, windowSeconds, true);
  return over === null ? null : over - now;
}
