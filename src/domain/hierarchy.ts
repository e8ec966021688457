import { ancestorsRead, descendantsRead } from '../store/case-hierarchy';
import { maySeeCase } from './access';
import { caseTypesReads } from './case-types';
import { caseReads } from './cases';
import type { Case, CaseType, Principal } from './model';
import { allReads } from './reads';

/**
 * A case's family: the parent a child was created with (API v1's `parentCaseID`, or DX's), its
 * ancestors up to the root and its descendants down to the leaves, each read in one statement
 * beside the bearer check (store/case-hierarchy.ts).
 */

/** The case and its ancestors, root first. */
export const ancestorsReads = (db: D1Database, id: string) =>
  allReads({ found: caseReads(db, id), ancestors: ancestorsRead(db, id) });

/** The case, its descendants and the case types that draw their assignments. */
export const descendantsReads = (db: D1Database, id: string) =>
  allReads({
    found: caseReads(db, id),
    descendants: descendantsRead(db, id),
    caseTypes: caseTypesReads(db),
  });

/** One case of a family as the caller sees it: one it may not open shows no children. */
export interface Relative {
  item: Case;
  /** Its case type, where the caller may open the case. */
  caseType: CaseType | undefined;
  children: Relative[];
}

/** The descendants of `rootId` as a tree of what the principal may open. */
export function familyOf(
  principal: Principal,
  rootId: string,
  descendants: Case[],
  caseTypes: CaseType[],
): Relative[] {
  const types = new Map(caseTypes.map((caseType) => [caseType.id, caseType]));
  const byParent = new Map<string, Case[]>();
  for (const item of descendants) {
    const siblings = byParent.get(item.parentCaseId ?? '') ?? [];
    siblings.push(item);
    byParent.set(item.parentCaseId ?? '', siblings);
  }
  const childrenOf = (id: string): Relative[] =>
    (byParent.get(id) ?? []).map((item) => {
      const open = maySeeCase(principal.operator, item);
      return {
        item,
        caseType: open ? types.get(item.caseTypeId) : undefined,
        children: open ? childrenOf(item.id) : [],
      };
    });
  return childrenOf(rootId);
}
