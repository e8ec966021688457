-- Participants of a case (DX case model §0, §5): the roles a case type offers (JSON array of
-- {ID, name, single}), and per case who holds which, with their Data-Party content. A change
-- to a case's participants is a change of the case: it raises the case's version.
ALTER TABLE case_types ADD COLUMN participant_roles TEXT;

CREATE TABLE case_participants (
  case_id        TEXT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
  participant_id TEXT NOT NULL,   -- <Role>_<nn>, or the role's ID for a one-holder role
  role_id        TEXT NOT NULL,
  content        TEXT NOT NULL,   -- JSON: pyFirstName, pyLastName, pyEmail1, ...
  created_at     TEXT NOT NULL,
  updated_at     TEXT NOT NULL,
  PRIMARY KEY (case_id, participant_id)
) WITHOUT ROWID;
