import { type AppError, ifMatchFailed } from '../errors';

/**
 * The row a versioned change returned; when it returned none, why: the resource is gone (the
 * `missing` error, a 404) or If-Match named a version it no longer has (412).
 */
export async function changedRow(
  rows: unknown[],
  exists: () => Promise<unknown>,
  what: string,
  missing: AppError,
): Promise<unknown> {
  if (rows[0] !== undefined) return rows[0];
  throw (await exists()) ? ifMatchFailed(what) : missing;
}

/** What an If-Match header asks for: any current version (`*`), or one of these versions. */
export type IfMatch = { any: true } | { any: false; versions: number[] };

export function ifMatchAccepts(ifMatch: IfMatch, version: number): boolean {
  return ifMatch.any || ifMatch.versions.includes(version);
}

/** 412 (409 in DX API v2) unless If-Match accepts `version`. */
export function checkIfMatch(ifMatch: IfMatch, version: number, what?: string): void {
  if (!ifMatchAccepts(ifMatch, version)) throw ifMatchFailed(what);
}
