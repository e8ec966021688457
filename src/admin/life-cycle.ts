import type * as z from '../zod';

/** The rules of a case type's life cycle (its stages and multi-step forms), for admin/schemas.ts. */

export interface LifeCycle {
  flow?:
    | { ID: string; routeTo?: string | undefined; nextScreen?: boolean | undefined }[]
    | undefined;
  stages?:
    | { type: 'Primary' | 'Alternate'; resolutionStatus?: string | undefined; steps: string[] }[]
    | undefined;
}

/**
 * The life cycle's rules: the stages' steps, stage after stage, are the flow's steps in flow
 * order, each once (so a step's stage is never in doubt, and a flow read alone still runs in
 * order); primary stages come first, each with a step (the first is the create stage); only the
 * last primary and alternate stages resolve. A next screen follows a step of its own stage,
 * routed as it is.
 */
export function checkLifeCycle({ flow, stages }: LifeCycle, context: z.core.$RefinementCtx) {
  const issue = (path: (string | number)[], message: string) =>
    context.addIssue({ code: 'custom', path, message });
  if (flow?.[0]?.nextScreen)
    issue(['flow', 0, 'nextScreen'], 'the first step has no step before it');
  if (!stages) {
    flow?.forEach((step, index) => {
      if (index > 0 && step.nextScreen) {
        issue(
          ['flow', index, 'nextScreen'],
          'a next screen needs stages: one stage holds both steps',
        );
      }
    });
    return;
  }
  if (!flow) {
    issue(['stages'], 'stages need a flow: they name its steps');
    return;
  }
  const listed = stages.flatMap((stage) => stage.steps);
  if (listed.join() !== flow.map((step) => step.ID).join()) {
    issue(
      ['stages'],
      "the stages' steps, stage after stage, must be the flow's steps in its order",
    );
  }
  const primaries = stages.filter((stage) => stage.type === 'Primary').length;
  stages.forEach((stage, index) => {
    if (stage.type === 'Primary' && index >= primaries) {
      issue(['stages', index, 'type'], 'primary stages come before alternate ones');
    }
    if (stage.type === 'Primary' && stage.steps.length === 0) {
      issue(['stages', index, 'steps'], 'a primary stage runs at least one step');
    }
    if (stage.type === 'Primary' && index < primaries - 1 && stage.resolutionStatus) {
      issue(
        ['stages', index, 'resolutionStatus'],
        'only the last primary stage and alternate stages resolve',
      );
    }
  });
  const stageOf = new Map(stages.flatMap((stage, index) => stage.steps.map((id) => [id, index])));
  flow.forEach((step, index) => {
    const before = flow[index - 1];
    if (!step.nextScreen || !before) return;
    if (stageOf.get(before.ID) !== stageOf.get(step.ID) || before.routeTo !== step.routeTo) {
      issue(
        ['flow', index, 'nextScreen'],
        'a next screen is in the stage of the step before it, routed as it is',
      );
    }
  });
}
