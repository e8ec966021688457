-- Cost flat in the data (#27): a case list's page for an operator that sees its own cases reads
-- the newest of those routed to it by this index, as it reads its own by cases_created_by,
-- never every case routed to it.
CREATE INDEX cases_assigned ON cases (assigned_to, seq) WHERE step_index IS NOT NULL;
