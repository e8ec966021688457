import type { Case, Operator } from './model';

/** The operator's access group names this case type, or all (`*`). */
export function mayUseCaseType(operator: Operator, caseTypeId: string): boolean {
  const { caseTypes } = operator.accessGroup;
  return caseTypes.includes('*') || caseTypes.includes(caseTypeId);
}

/**
 * Contract §5: `own` sees the operator's own cases, and those whose open assignment is routed to
 * it (it has to work them); `all` sees every case; never a case type outside the group.
 */
export function maySeeCase(
  operator: Operator,
  item: Pick<Case, 'caseTypeId' | 'createdBy' | 'assignedTo'>,
) {
  if (!mayUseCaseType(operator, item.caseTypeId)) return false;
  return (
    operator.accessGroup.caseVisibility === 'all' ||
    item.createdBy === operator.id ||
    item.assignedTo === operator.id
  );
}
