/**
 * Test doubles that wrap the real local D1 and KV bindings and throw where a test says so:
 * storage failing under the Worker, with everything else real.
 */

export interface D1Faults {
  reads?: boolean;
  writes?: boolean;
}

const isWrite = (sql: string) => !/^\s*SELECT\b/i.test(sql);
const injected = (what: string) => new Error(`injected fault: ${what}`);

export function faultyD1(db: D1Database, faults: D1Faults): D1Database {
  const real = new WeakMap<object, D1PreparedStatement>();
  const fails = (sql: string) => (isWrite(sql) ? faults.writes : faults.reads) ?? false;

  function wrap(statement: D1PreparedStatement, sql: string): D1PreparedStatement {
    const guard =
      <A extends unknown[], R>(method: (...args: A) => R) =>
      (...args: A): R => {
        if (fails(sql)) return Promise.reject(injected(`D1 ${sql.trim().split(/\s+/)[0]}`)) as R;
        return method.apply(statement, args);
      };
    const wrapped = {
      bind: (...values: unknown[]) => wrap(statement.bind(...values), sql),
      first: guard(statement.first),
      all: guard(statement.all),
      run: guard(statement.run),
      raw: guard(statement.raw),
    } as unknown as D1PreparedStatement;
    real.set(wrapped, statement);
    sqlOf.set(wrapped, sql);
    return wrapped;
  }
  const sqlOf = new WeakMap<object, string>();

  return {
    prepare: (sql: string) => wrap(db.prepare(sql), sql),
    batch: (statements: D1PreparedStatement[]) => {
      if (statements.some((statement) => fails(sqlOf.get(statement) ?? ''))) {
        return Promise.reject(injected('D1 batch'));
      }
      return db.batch(statements.map((statement) => real.get(statement) ?? statement));
    },
    exec: (sql: string) => {
      if (fails(sql)) return Promise.reject(injected('D1 exec'));
      return db.exec(sql);
    },
    withSession: () => {
      throw injected('D1 sessions are not used');
    },
    dump: () => db.dump(),
  } as unknown as D1Database;
}

export function faultyKV(
  kv: KVNamespace,
  failing: ('get' | 'put' | 'delete' | 'list')[],
): KVNamespace {
  return new Proxy(kv, {
    get(target, property) {
      const value = Reflect.get(target, property);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        if (failing.includes(property as 'get'))
          return Promise.reject(injected(`KV ${String(property)}`));
        return value.apply(target, args);
      };
    },
  });
}
