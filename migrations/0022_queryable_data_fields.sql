-- Queryable data type fields (#27): the values of a data type's fields marked `queryable`, kept
-- beside its records by triggers, so that a record list's filter on one reads the records it
-- matches through an index instead of the type's records. As case_values, but keyed by the
-- record's key, and without a trigram table: a data type's text filters other than EQ and
-- STARTS_WITH scan its records (bounded). Marking or unmarking refills the type's values in
-- the batch that redefines it (data types are reference lists).
CREATE TABLE data_record_values (
  data_type_id TEXT NOT NULL,
  field        TEXT NOT NULL,
  value        ANY NOT NULL,                 -- a number as the record holds it; text lower-cased
  key          TEXT NOT NULL,                -- the record's
  PRIMARY KEY (data_type_id, field, value, key)
) WITHOUT ROWID;
CREATE INDEX data_record_values_record ON data_record_values (data_type_id, key);

CREATE TRIGGER data_record_values_on_insert AFTER INSERT ON data_records
  WHEN EXISTS (SELECT 1 FROM data_types WHERE id = new.data_type_id
    AND instr(fields, '"queryable":true') > 0)
BEGIN
  INSERT OR IGNORE INTO data_record_values (data_type_id, field, value, key)
  SELECT new.data_type_id, j.key, iif(j.type = 'text', lower(j.value), j.value), new.key
  FROM json_each(new.content) j
  WHERE j.type IN ('text', 'integer', 'real') AND j.key IN (
    SELECT f.value ->> 'name' FROM data_types t, json_each(t.fields) f
    WHERE t.id = new.data_type_id AND f.value ->> 'queryable' = 1);
END;

CREATE TRIGGER data_record_values_on_update AFTER UPDATE OF content ON data_records
  WHEN EXISTS (SELECT 1 FROM data_types WHERE id = new.data_type_id
    AND instr(fields, '"queryable":true') > 0)
BEGIN
  DELETE FROM data_record_values WHERE data_type_id = new.data_type_id AND key = new.key;
  INSERT OR IGNORE INTO data_record_values (data_type_id, field, value, key)
  SELECT new.data_type_id, j.key, iif(j.type = 'text', lower(j.value), j.value), new.key
  FROM json_each(new.content) j
  WHERE j.type IN ('text', 'integer', 'real') AND j.key IN (
    SELECT f.value ->> 'name' FROM data_types t, json_each(t.fields) f
    WHERE t.id = new.data_type_id AND f.value ->> 'queryable' = 1);
END;

CREATE TRIGGER data_record_values_on_delete AFTER DELETE ON data_records
BEGIN
  DELETE FROM data_record_values WHERE data_type_id = old.data_type_id AND key = old.key;
END;
