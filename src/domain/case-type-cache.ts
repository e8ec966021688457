import type { CaseType } from './model';

/**
 * Case types as this isolate last read them, and which case type each case it has seen is of
 * (a case never changes type). What lets a create or an update validate its content before
 * it reaches D1, and so write in the same round trip as it authorizes. A cached definition
 * never decides alone: every write made with it carries `version = <cached version>` in its
 * SQL, so after an admin's change the write does not happen, the fresh definition (read in
 * the same batch) replaces the cached one, and the request is made again with it.
 */
const MAX_ENTRIES = 512;
const caseTypes = new Map<string, CaseType>();
const caseTypeOfCase = new Map<string, string>();

/** Least recently set goes first once the map is full. */
function remember<V>(map: Map<string, V>, key: string, value: V) {
  map.delete(key);
  map.set(key, value);
  if (map.size > MAX_ENTRIES) map.delete(map.keys().next().value as string);
}

export const cachedCaseType = (id: string) => caseTypes.get(id);

/** Every case type this isolate has read. */
export const cachedCaseTypes = (): Iterable<CaseType> => caseTypes.values();

export function rememberCaseType(caseType: CaseType): void {
  remember(caseTypes, caseType.id, caseType);
}

/** The case type of a case, where this isolate has read the case. */
export function cachedCaseTypeOfCase(caseId: string): CaseType | undefined {
  const id = caseTypeOfCase.get(caseId);
  return id === undefined ? undefined : caseTypes.get(id);
}

/** Remembers a case read with its type. */
export function rememberCase(item: { id: string }, caseType: CaseType): void {
  remember(caseTypeOfCase, item.id, caseType.id);
  rememberCaseType(caseType);
}
