-- Flows: each case type has an ordered list of steps, each one assignment (JSON, see
-- src/domain/flow.ts). NULL: one step that collects every field, routed to the creator.
ALTER TABLE case_types ADD COLUMN flow TEXT;

-- A case's open assignment: the step it is at (NULL once resolved, or for none), whom it is
-- routed to and since when. One open assignment per case: flows are linear.
ALTER TABLE cases ADD COLUMN process_id TEXT NOT NULL DEFAULT 'pyStartCase';
ALTER TABLE cases ADD COLUMN step_index INTEGER;
ALTER TABLE cases ADD COLUMN assigned_to TEXT;
ALTER TABLE cases ADD COLUMN assigned_at TEXT;

-- Cases created before flows existed wait at the first step, routed to their creator.
UPDATE cases SET step_index = 0, assigned_to = created_by, assigned_at = updated_at
  WHERE status <> 'Resolved-Completed';

-- The worklist: an operator's open assignments, most urgent first, then oldest.
CREATE INDEX cases_worklist ON cases (assigned_to, urgency DESC, seq) WHERE step_index IS NOT NULL;
