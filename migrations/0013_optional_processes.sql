-- Optional processes (DX case model §0-§1): a case type's processes as JSON, and a case's open
-- assignments beside its main flow's (optional processes started, steps a stage move left
-- open) as a JSON array on the case, written with it in the same compare-and-set.
ALTER TABLE case_types ADD COLUMN processes TEXT;
ALTER TABLE cases ADD COLUMN other_assignments TEXT;
-- The worklists read other assignments from the cases that hold any, never from every case.
CREATE INDEX cases_other_assignments ON cases (seq) WHERE other_assignments IS NOT NULL;
