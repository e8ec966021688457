import type * as z from '../zod';

/** The rules of a case type's life cycle (its stages, multi-step forms and optional processes). */

export interface LifeCycle {
  flow?:
    | {
        ID: string;
        action: { ID: string };
        routeTo?: string | undefined;
        nextScreen?: boolean | undefined;
      }[]
    | undefined;
  stages?:
    | {
        ID: string;
        type: 'Primary' | 'Alternate';
        resolutionStatus?: string | undefined;
        steps: string[];
      }[]
    | undefined;
  processes?:
    | { ID: string; stage?: string | undefined; step: { ID: string; action: { ID: string } } }[]
    | undefined;
}

/**
 * The life cycle's rules: the stages' steps, stage after stage, are the flow's steps in flow
 * order, each once (so a step's stage is never in doubt, and a flow read alone still runs in
 * order); primary stages come first, each with a step (the first is the create stage); only the
 * last primary and alternate stages resolve. A next screen follows a step of its own stage,
 * routed as it is.
 */
export function checkLifeCycle(
  { flow, stages, processes }: LifeCycle,
  context: z.core.$RefinementCtx,
) {
  const issue = (path: (string | number)[], message: string) =>
    context.addIssue({ code: 'custom', path, message });
  checkProcesses({ flow, stages, processes }, issue);
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

/**
 * An optional process is offered in a stage that exists (a step's ID where no stages are
 * defined), is not the starting process, and its step's and action's IDs are nobody else's.
 */
function checkProcesses(
  { flow, stages, processes }: LifeCycle,
  issue: (path: (string | number)[], message: string) => void,
) {
  const stageIds = new Set(
    stages ? stages.map((stage) => stage.ID) : (flow ?? []).map((step) => step.ID),
  );
  const steps = new Set((flow ?? []).map((step) => step.ID));
  const actions = new Set((flow ?? []).map((step) => step.action.ID));
  processes?.forEach((process, index) => {
    if (process.stage !== undefined && flow && !stageIds.has(process.stage)) {
      issue(['processes', index, 'stage'], `No stage ${process.stage} is defined.`);
    }
    if (process.ID.toUpperCase() === 'PYSTARTCASE') {
      issue(['processes', index, 'ID'], 'pyStartCase is the starting process');
    }
    if (steps.has(process.step.ID)) {
      issue(['processes', index, 'step', 'ID'], 'a step ID of the flow or another process');
    }
    if (actions.has(process.step.action.ID)) {
      issue(
        ['processes', index, 'step', 'action', 'ID'],
        'an action ID of the flow or another process',
      );
    }
    steps.add(process.step.ID);
    actions.add(process.step.action.ID);
  });
}

type Step = { fields: { name: string }[] };

/** Every field a step collects (of the flow or an optional process) must be defined. */
function checkFlowFields(
  caseType: {
    fields: { name: string }[];
    flow?: Step[] | undefined;
    processes?: { step: Step }[] | undefined;
  },
  context: z.core.$RefinementCtx,
) {
  const defined = new Set(caseType.fields.map((field) => field.name));
  const check = (step: Step, path: (string | number)[]) =>
    step.fields.forEach((field, fieldIndex) => {
      if (!defined.has(field.name)) {
        context.addIssue({
          code: 'custom',
          path: [...path, 'fields', fieldIndex, 'name'],
          message: `No field ${field.name} is defined.`,
        });
      }
    });
  caseType.flow?.forEach((step, index) => {
    check(step, ['flow', index]);
  });
  caseType.processes?.forEach((process, index) => {
    check(process.step, ['processes', index, 'step']);
  });
}

/** A case type's definition: its steps' fields, and its life cycle. */
export const checkDefinition = (
  caseType: Parameters<typeof checkFlowFields>[0] & LifeCycle,
  context: z.core.$RefinementCtx,
) => {
  checkFlowFields(caseType, context);
  checkLifeCycle(caseType, context);
};
