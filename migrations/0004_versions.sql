-- Optimistic concurrency for the admin API: every admin resource carries a version, raised by
-- every change in the same UPDATE that makes it. It is the resource's ETag; If-Match compares
-- against it inside that UPDATE, so a concurrent change is a 412, never a lost update.
ALTER TABLE operators ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE clients ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE case_types ADD COLUMN version INTEGER NOT NULL DEFAULT 1;

-- Deleting an operator is refused while cases name it (created_by or owner): a new operator
-- under the same ID must not inherit another team's cases.
CREATE INDEX cases_owner ON cases (owner);
