/** SQL text with its bound arguments beside it, built from parts in the order they appear. */
export interface Sql {
  sql: string;
  args: unknown[];
}

export const sql = (text: string, ...args: unknown[]): Sql => ({ sql: text, args });

export const join = (parts: Sql[], separator: string): Sql => ({
  sql: parts.map((part) => part.sql).join(separator),
  args: parts.flatMap((part) => part.args),
});
