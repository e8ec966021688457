-- A case's children, for GET /cases/{ID}/descendants and the create-stage delete's check that
-- a case has none: without it both scan every case.
CREATE INDEX cases_parent ON cases (parent_case_id) WHERE parent_case_id IS NOT NULL;
