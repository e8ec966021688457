/**
 * What one request reads (or writes) in the D1 batch that authorizes it: its statements, and
 * how to read their results as named, typed values. Only store/ knows the statements' order
 * and their rows; everyone else gets `from`'s answer.
 */
export interface Reads<T> {
  statements: D1PreparedStatement[];
  from(results: unknown[][]): T;
  /**
   * The same read as one query of at most one row, its arguments numbered `?1`...`?n`, that
   * another query may join: what lets the bearer check and this read be one statement (#28).
   */
  row?: RowQuery<T>;
}

/** A query of at most one row, its arguments numbered from `?1`, and how to read that row. */
export interface RowQuery<T> {
  sql: string;
  args: unknown[];
  /** The row, or undefined where the query found none. */
  from(row: Record<string, unknown> | undefined): T;
}

/** A query of at most one row as Reads: one statement, and the query for a join. */
export function oneRow<T>(db: D1Database, query: RowQuery<T>): Reads<T> {
  return {
    // Prepared only when run on its own: joined to the principal's query, it never is.
    get statements() {
      return [db.prepare(query.sql).bind(...query.args)];
    },
    from: ([rows = []]) => query.from(rows[0] as Record<string, unknown> | undefined),
    row: query,
  };
}

/** Nothing beside the principal check. */
export const nothing: Reads<undefined> = { statements: [], from: () => undefined };

/** One statement, read by `from` from its rows. */
export const oneStatement = <T>(
  statement: D1PreparedStatement,
  from: (rows: unknown[]) => T,
): Reads<T> => ({ statements: [statement], from: ([rows = []]) => from(rows) });

/** Several reads in one batch, each read back by its own `from`, under its name. */
export function allReads<T extends Record<string, Reads<unknown>>>(
  reads: T,
): Reads<{ [K in keyof T]: T[K] extends Reads<infer V> ? V : never }> {
  const parts = Object.entries(reads);
  return {
    statements: parts.flatMap(([, part]) => part.statements),
    from: (results) => {
      let at = 0;
      const named: Record<string, unknown> = {};
      for (const [name, part] of parts) {
        named[name] = part.from(results.slice(at, at + part.statements.length));
        at += part.statements.length;
      }
      return named as { [K in keyof T]: T[K] extends Reads<infer V> ? V : never };
    },
  };
}

/** Runs reads on their own (no principal check around them). */
export async function runReads<T>(db: D1Database, reads: Reads<T>): Promise<T> {
  const { statements } = reads;
  const results = statements.length > 0 ? await db.batch(statements) : [];
  return reads.from(results.map((result) => result.results));
}

/** `reads`, its answer turned by `turn`. */
export const mapReads = <T, U>(reads: Reads<T>, turn: (value: T) => U): Reads<U> => {
  const { row } = reads;
  return {
    get statements() {
      return reads.statements;
    },
    from: (results) => turn(reads.from(results)),
    ...(row && { row: { ...row, from: (found) => turn(row.from(found)) } }),
  };
};
