import { maySeeCase } from '../domain/access';
import { type FoundCase, visibleCase } from '../domain/cases';
import { ancestorsReads, descendantsReads, familyOf, type Relative } from '../domain/hierarchy';
import type { Case, CaseType, Principal } from '../domain/model';
import type { AppContext } from '../http/context';
import type { Found } from '../http/operations';
import { assignmentsOf } from './case-info';

/** `GET /cases/{ID}/ancestors` and `/descendants`: a case's family (domain/hierarchy.ts). */

export const ancestorsInPath = (c: AppContext) =>
  ancestorsReads(c.env.DB, c.req.param('id') as string);

export const descendantsInPath = (c: AppContext) =>
  descendantsReads(c.env.DB, c.req.param('id') as string);

/** A case's link to open it, as Pega lists cases beside another. */
export const caseLinks = (id: string) => ({
  open: { rel: 'self', href: `/cases/${encodeURIComponent(id)}`, type: 'GET', title: 'Open case' },
});

const nameOf = (item: Case) => item.caseTypeName || item.caseTypeId;

/** The case in the path as the caller may see it; else 404. */
const seen = (c: AppContext, principal: Principal, found: FoundCase | null) =>
  visibleCase(principal, c.req.param('id') as string, found);

/**
 * `GET /cases/{ID}/ancestors`: from the root down to the parent, each with its link; one the
 * caller may not open is named without it.
 */
export function ancestorsHandler(
  c: AppContext,
  { principal, found }: Found<{ found: FoundCase | null; ancestors: Case[] }>,
) {
  seen(c, principal, found.found);
  return c.json({
    ancestors: found.ancestors.map((item) => ({
      ID: item.id,
      name: nameOf(item),
      ...(maySeeCase(principal.operator, item) && { links: caseLinks(item.id) }),
    })),
  });
}

/** A child case as Pega lists it; one the caller may not open: its ID, name and status only. */
function childCase({ item, caseType, children }: Relative, operatorId: string): object {
  if (!caseType) return { ID: item.id, name: nameOf(item), status: item.status };
  return {
    ID: item.id,
    name: nameOf(item),
    Name: nameOf(item),
    caseTypeID: item.caseTypeId,
    status: item.status,
    assignments: assignmentsOf(item, caseType, operatorId),
    childCases: children.map((child) => childCase(child, operatorId)),
    links: caseLinks(item.id),
  };
}

/** `GET /cases/{ID}/descendants`: the case's children, each with its own, recursively. */
export function descendantsHandler(
  c: AppContext,
  {
    principal,
    found,
  }: Found<{ found: FoundCase | null; descendants: Case[]; caseTypes: CaseType[] }>,
) {
  const { item } = seen(c, principal, found.found);
  const family = familyOf(principal, item.id, found.descendants, found.caseTypes);
  return c.json({ childCases: family.map((child) => childCase(child, principal.operator.id)) });
}
