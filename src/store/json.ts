/** Columns that hold JSON arrays/objects are written by this code only; parse them as such. */
export function parseJsonColumn<T>(value: unknown): T {
  return JSON.parse(String(value)) as T;
}
