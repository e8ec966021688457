/**
 * Failed client authentications, counted per key in fixed windows in D1. D1 rather than the
 * Workers Rate Limiting binding: the binding counts every call it is asked about and cannot be
 * consulted without counting, so it cannot refuse the right secret after ten wrong ones
 * without also counting (and throttling) every success. D1 also makes the count global,
 * where the binding's is per Cloudflare location.
 */

export interface ThrottleKey {
  key: string;
  /** Failures allowed in one window before the key is locked for the rest of it. */
  limit: number;
}

interface FailureRow {
  key: string;
  window_start: number;
  failures: number;
}

/** The live failure counts of `keys`: run it, or batch it beside another read. */
export function failureCountsStatement(
  db: D1Database,
  keys: ThrottleKey[],
  windowSeconds: number,
  now: number,
) {
  return db
    .prepare(
      `SELECT key, window_start, failures FROM auth_failures
       WHERE key IN (SELECT value FROM json_each(?)) AND window_start + ? > ?`,
    )
    .bind(JSON.stringify(keys.map(({ key }) => key)), windowSeconds, now);
}

/** When the latest lock among `keys` ends (unix seconds), or null if none is locked. */
export function lockedUntilFrom(
  rows: unknown[],
  keys: ThrottleKey[],
  windowSeconds: number,
): number | null {
  const locks = (rows as FailureRow[])
    .filter((row) => row.failures >= (keys.find(({ key }) => key === row.key)?.limit ?? Infinity))
    .map((row) => row.window_start + windowSeconds);
  return locks.length > 0 ? Math.max(...locks) : null;
}

/** Counts one failure for each key, starting a new window where the last one has ended. */
export async function recordFailure(
  db: D1Database,
  keys: ThrottleKey[],
  windowSeconds: number,
  now: number,
): Promise<void> {
  const upsert = db.prepare(
    `INSERT INTO auth_failures (key, window_start, failures) VALUES (?1, ?2, 1)
     ON CONFLICT (key) DO UPDATE SET
       failures = CASE WHEN window_start + ?3 <= ?2 THEN 1 ELSE failures + 1 END,
       window_start = CASE WHEN window_start + ?3 <= ?2 THEN ?2 ELSE window_start END`,
  );
  await db.batch([
    ...keys.map(({ key }) => upsert.bind(key, now, windowSeconds)),
    // Forget windows that are over, so the table holds only live counts.
    db.prepare('DELETE FROM auth_failures WHERE window_start + ? <= ?').bind(windowSeconds, now),
  ]);
}
