-- Queryable fields (#27): the values of a case type's fields marked `queryable` (case_types.fields,
-- "queryable": true), kept beside the cases by triggers, so that a data view's filter on one
-- reads the cases it matches through an index instead of every case of the type. Every write
-- path keeps it: the triggers run in the statement that writes the case, and only for a type
-- with a queryable field (one look at its definition's text: the others write no more than before).
CREATE TABLE case_values (
  case_type_id TEXT NOT NULL,
  field        TEXT NOT NULL,
  value        ANY NOT NULL,                 -- a number as the content holds it; text lower-cased
  seq          INTEGER NOT NULL,             -- the case's
  PRIMARY KEY (case_type_id, field, value, seq)
) WITHOUT ROWID;
CREATE INDEX case_values_case ON case_values (seq);

-- Their text again, for CONTAINS and ENDS_WITH (FTS5, trigrams: any substring of 3 or more
-- characters, in any case). Row `seq * 256 + <the field's place in the type>`, so a case's rows
-- are one range of the key.
CREATE VIRTUAL TABLE case_text USING fts5(
  value, case_type_id UNINDEXED, field UNINDEXED, tokenize = 'trigram'
);

-- The types whose values are being filled in after a field was marked (the cron goes on from
-- next_seq in bounded batches); a type listed here is queried without its values meanwhile.
CREATE TABLE case_values_fill (
  case_type_id TEXT PRIMARY KEY,
  next_seq     INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;

CREATE TRIGGER case_values_on_insert AFTER INSERT ON cases
  WHEN EXISTS (SELECT 1 FROM case_types WHERE id = new.case_type_id
    AND instr(fields, '"queryable":true') > 0)
BEGIN
  INSERT OR IGNORE INTO case_values (case_type_id, field, value, seq)
  SELECT new.case_type_id, j.key, iif(j.type = 'text', lower(j.value), j.value), new.seq
  FROM json_each(new.content) j
  WHERE j.type IN ('text', 'integer', 'real') AND j.key IN (
    SELECT f.value ->> 'name' FROM case_types t, json_each(t.fields) f
    WHERE t.id = new.case_type_id AND f.value ->> 'queryable' = 1);
  INSERT INTO case_text (rowid, value, case_type_id, field)
  SELECT new.seq * 256 + f.key, j.value, new.case_type_id, j.key
  FROM json_each(new.content) j, case_types t, json_each(t.fields) f
  WHERE j.type = 'text' AND t.id = new.case_type_id AND f.value ->> 'name' = j.key
    AND f.value ->> 'queryable' = 1;
END;

CREATE TRIGGER case_values_on_update AFTER UPDATE OF content ON cases
  WHEN EXISTS (SELECT 1 FROM case_types WHERE id = new.case_type_id
    AND instr(fields, '"queryable":true') > 0)
BEGIN
  DELETE FROM case_values WHERE seq = new.seq;
  DELETE FROM case_text WHERE rowid BETWEEN new.seq * 256 AND new.seq * 256 + 255;
  INSERT OR IGNORE INTO case_values (case_type_id, field, value, seq)
  SELECT new.case_type_id, j.key, iif(j.type = 'text', lower(j.value), j.value), new.seq
  FROM json_each(new.content) j
  WHERE j.type IN ('text', 'integer', 'real') AND j.key IN (
    SELECT f.value ->> 'name' FROM case_types t, json_each(t.fields) f
    WHERE t.id = new.case_type_id AND f.value ->> 'queryable' = 1);
  INSERT INTO case_text (rowid, value, case_type_id, field)
  SELECT new.seq * 256 + f.key, j.value, new.case_type_id, j.key
  FROM json_each(new.content) j, case_types t, json_each(t.fields) f
  WHERE j.type = 'text' AND t.id = new.case_type_id AND f.value ->> 'name' = j.key
    AND f.value ->> 'queryable' = 1;
END;

CREATE TRIGGER case_values_on_delete AFTER DELETE ON cases BEGIN
  DELETE FROM case_values WHERE seq = old.seq;
  DELETE FROM case_text WHERE rowid BETWEEN old.seq * 256 AND old.seq * 256 + 255;
END;
