-- Collaboration on a case (DX case model §5): who follows it, how it is tagged, which cases it
-- relates to, and who takes part in it in which role. Each row goes with its case.

-- Followers are operators. The second index answers an operator's followed cases
-- (D_pyFollowedCases) newest first without reading anyone else's.
CREATE TABLE case_followers (
  case_id     TEXT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
  operator_id TEXT NOT NULL,
  created_at  TEXT NOT NULL,
  PRIMARY KEY (case_id, operator_id)
) WITHOUT ROWID;
CREATE INDEX case_followers_operator ON case_followers (operator_id, created_at);

-- Tags: names lower-cased. `tags` holds every name used once, for prefix suggestions
-- (GET /tags?searchFor=) that read what they list.
CREATE TABLE case_tags (
  case_id    TEXT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
  tag        TEXT NOT NULL,
  created_by TEXT NOT NULL,
  created_at TEXT NOT NULL,
  PRIMARY KEY (case_id, tag)
) WITHOUT ROWID;
CREATE TABLE tags (
  name       TEXT PRIMARY KEY,
  created_at TEXT NOT NULL
) WITHOUT ROWID;

-- Related cases, as the case that relates them lists them.
CREATE TABLE case_relations (
  case_id         TEXT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
  related_case_id TEXT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
  created_by      TEXT NOT NULL,
  created_at      TEXT NOT NULL,
  PRIMARY KEY (case_id, related_case_id)
) WITHOUT ROWID;
CREATE INDEX case_relations_related ON case_relations (related_case_id);
