import { stepIndexIn } from './flow';
import type { Case, CaseType } from './model';

/**
 * A case's life cycle as Pega's stages (DX case model §1), as read. A case type defined with a
 * flow of steps has one primary stage per step, named after it (the model's migration rule), so
 * its answers stay as they were (`stageID` is the step's ID): the first is the create stage,
 * the last resolves the case. Defined stages, alternate stages and stage moves come with the
 * rest of the life cycle.
 */

export type VisitedStatus = 'completed' | 'active' | 'future';

export interface Stage {
  ID: string;
  name: string;
  type: 'Primary' | 'Alternate';
  transitionType: 'create' | 'automatic' | 'manual' | 'resolution';
  visited_status: VisitedStatus;
  /** When the case entered it: known here for the active stage. */
  entryTime?: string;
  /** The steps it runs, in order. */
  steps: { ID: string; name: string; visited_status: VisitedStatus }[];
}

export function stagesOf(caseType: CaseType, item: Case): Stage[] {
  const { flow } = caseType;
  // A resolved case (no open step) has every stage completed.
  const current = stepIndexIn(flow, item);
  return flow.map((step, index) => {
    const visited: VisitedStatus =
      current === null || index < current ? 'completed' : index === current ? 'active' : 'future';
    return {
      ID: step.ID,
      name: step.name,
      type: 'Primary',
      transitionType:
        index === 0 ? 'create' : index === flow.length - 1 ? 'resolution' : 'automatic',
      visited_status: visited,
      ...(visited === 'active' && item.assignedAt !== null && { entryTime: item.assignedAt }),
      steps: [{ ID: step.ID, name: step.name, visited_status: visited }],
    };
  });
}
