/**
 * Wraps the real D1 and KV bindings to count storage calls and how deep they go one after
 * another (a logical clock: a call that starts after another has finished is one level deeper;
 * calls in flight together share a level; a D1 batch is one call). Everything still runs
 * against the real local stores.
 */
export interface StorageRecord {
  calls: string[];
  /** The number of sequential storage levels a request made. */
  levels: number;
  /** Every SQL statement prepared, in order. */
  sql: string[];
  /** What D1 says it read and wrote (`meta.rows_read`, `meta.rows_written`), summed. */
  rowsRead: number;
  rowsWritten: number;
}

export function recordStorage(db: D1Database, kv: KVNamespace) {
  const record: StorageRecord = { calls: [], levels: 0, sql: [], rowsRead: 0, rowsWritten: 0 };
  /** Adds what D1 reported of one result (or a batch's results). */
  const count = <T>(result: T): T => {
    for (const one of Array.isArray(result) ? result : [result]) {
      const meta = (one as { meta?: { rows_read?: number; rows_written?: number } } | null)?.meta;
      record.rowsRead += meta?.rows_read ?? 0;
      record.rowsWritten += meta?.rows_written ?? 0;
    }
    return result;
  };
  let finished = 0;
  const track = <T>(name: string, run: () => Promise<T>): Promise<T> => {
    const level = finished + 1;
    record.calls.push(name);
    record.levels = Math.max(record.levels, level);
    return run().finally(() => {
      finished = Math.max(finished, level);
    });
  };
  const unwrap = new WeakMap<object, D1PreparedStatement>();
  const statement = (real: D1PreparedStatement): D1PreparedStatement => {
    const wrapped = new Proxy(real, {
      get(target, property) {
        const value = Reflect.get(target, property);
        if (property === 'bind') {
          return (...args: unknown[]) => statement(value.apply(target, args));
        }
        if (['all', 'run'].includes(String(property))) {
          return (...args: unknown[]) =>
            track(`D1 ${String(property)}`, () => value.apply(target, args).then(count));
        }
        if (['first', 'raw'].includes(String(property))) {
          return (...args: unknown[]) =>
            track(`D1 ${String(property)}`, () => value.apply(target, args));
        }
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    unwrap.set(wrapped, real);
    return wrapped;
  };
  const wrappedDb = new Proxy(db, {
    get(target, property) {
      if (property === 'prepare') {
        return (sql: string) => {
          record.sql.push(sql);
          return statement(target.prepare(sql));
        };
      }
      if (property === 'batch') {
        return (statements: D1PreparedStatement[]) =>
          track('D1 batch', () =>
            target.batch(statements.map((one) => unwrap.get(one) ?? one)).then(count),
          );
      }
      const value = Reflect.get(target, property);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  const wrappedKv = new Proxy(kv, {
    get(target, property) {
      const value = Reflect.get(target, property);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) =>
        track(`KV ${String(property)}`, () => value.apply(target, args));
    },
  });
  return { DB: wrappedDb, TOKENS: wrappedKv, record };
}
