import { env } from 'cloudflare:workers';

/**
 * The real local D1, with `run` made on it once, just before (or just after) the first batch
 * that holds a statement whose SQL matches `sql`: a change landing between the levels of a
 * request, or right after its write, as another request would make it. Everything else is the
 * real binding.
 */
export function aroundBatch(
  sql: RegExp,
  when: 'before' | 'after',
  run: (db: D1Database) => Promise<unknown>,
): { db: D1Database; ran: () => boolean } {
  let ran = false;
  const marked = new WeakSet<object>();
  const db = new Proxy(env.DB, {
    get(target, property) {
      if (property === 'prepare') {
        return (text: string) => {
          const statement = target.prepare(text);
          if (!sql.test(text)) return statement;
          return new Proxy(statement, {
            get(real, name) {
              if (name !== 'bind') return Reflect.get(real, name);
              return (...args: unknown[]) => {
                const bound = real.bind(...args);
                marked.add(bound);
                return bound;
              };
            },
          });
        };
      }
      if (property === 'batch') {
        return async (statements: D1PreparedStatement[]) => {
          const hit = !ran && statements.some((one) => marked.has(one));
          if (hit) ran = true;
          if (hit && when === 'before') await run(target);
          const results = await target.batch(statements);
          if (hit && when === 'after') await run(target);
          return results;
        };
      }
      const value = Reflect.get(target, property);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return { db: db as D1Database, ran: () => ran };
}
