-- Demo data for local development (`npm start`); never applied to a deployed database.
-- A least-privilege operator, the case type of the city-services flow and the street repair's
-- life cycle. Idempotent: a database seeded before flows or stages existed is brought up to
-- date, anything else is left alone.
INSERT INTO operators
  (id, name, access_group_name, privileges, case_types, case_visibility, created_at, updated_at)
VALUES
  ('CityServicesAPI', 'City services API', 'CNOW:APIClients',
   '["casetypes:read","cases:read","cases:create","cases:update","assignments:read","assignments:perform","data:read","data:write"]',
   '["Cnow-connectnow-Work-CityServicesRequest","Cnow-connectnow-Work-StreetRepair","Cnow-connectnow-Data-Severity"]',
   'own', '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z')
ON CONFLICT (id) DO UPDATE SET privileges = excluded.privileges, version = version + 1
  WHERE privileges IN ('["casetypes:read","cases:read","cases:create","cases:update"]',
    '["casetypes:read","cases:read","cases:create","cases:update","assignments:read","assignments:perform"]');

-- The seed's case type: a city-services request with the two fields the walk-through sends,
-- and a two-step flow: the requester enters the request, then reviews it.
INSERT INTO case_types
  (id, name, id_prefix, starting_processes, fields, flow, created_at, updated_at)
VALUES
  ('Cnow-connectnow-Work-CityServicesRequest', 'City services request', 'R-',
   '[{"ID":"pyStartCase","name":"Create request"}]',
   '[{"name":"RequestID","label":"Request ID","type":"string","required":true,"maxLength":64},{"name":"RequestDetail","label":"Request detail","type":"string","required":true,"maxLength":2000}]',
   '[{"ID":"EnterRequest","name":"Enter the request","instructions":"Describe what the city should do.","fields":[{"name":"RequestID","required":true},{"name":"RequestDetail","required":true}],"action":{"ID":"SubmitRequest","name":"Submit request"}},{"ID":"ReviewRequest","name":"Review the request","instructions":"Check the request and approve it.","fields":[{"name":"RequestDetail","required":true}],"action":{"ID":"ApproveRequest","name":"Approve"}}]',
   '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z')
ON CONFLICT (id) DO UPDATE SET flow = excluded.flow, fields = excluded.fields,
  version = version + 1
  WHERE flow IS NULL;

-- The life-cycle demo (docs/dx-api.md): a street repair through stages. Report is a multi-step
-- form of two screens (EnterReport, then ConfirmReport: one assignment); Repair and Close one
-- step each; Rejected an alternate stage that resolves the case Resolved-Rejected on entry.
-- Escalate is an optional process any stage offers: a further assignment of whoever starts it.
-- Its participants are one Reporter and any number of Inspectors.
INSERT INTO case_types
  (id, name, id_prefix, starting_processes, fields, flow, stages, processes, participant_roles,
   created_at, updated_at)
VALUES
  ('Cnow-connectnow-Work-StreetRepair', 'Street repair', 'SR-',
   '[{"ID":"pyStartCase","name":"Report a street repair"}]',
   '[{"name":"Location","label":"Location","type":"string","required":true,"maxLength":200},{"name":"Detail","label":"Detail","type":"string","required":false,"maxLength":2000},{"name":"Severity","label":"Severity","type":"string","required":false,"enum":["Low","Medium","High"],"dataSource":{"dataView":"D_SeverityList","value":"Severity","text":"Label"}},{"name":"Crew","label":"Crew","type":"string","required":false,"maxLength":100},{"name":"Notes","label":"Notes","type":"string","required":false,"maxLength":2000}]',
   '[{"ID":"EnterReport","name":"Enter the report","instructions":"Where is the damage, and what is it?","fields":[{"name":"Location","required":true},{"name":"Detail","required":false}],"action":{"ID":"SubmitReport","name":"Submit report"}},{"ID":"ConfirmReport","name":"Confirm the report","instructions":"How severe is it?","fields":[{"name":"Severity","required":true}],"action":{"ID":"ConfirmReport","name":"Confirm report"},"nextScreen":true},{"ID":"ScheduleRepair","name":"Schedule the repair","instructions":"Assign a crew.","fields":[{"name":"Crew","required":true}],"action":{"ID":"ScheduleRepair","name":"Schedule repair"}},{"ID":"CloseRepair","name":"Close the repair","instructions":"Note what was done.","fields":[{"name":"Notes","required":false}],"action":{"ID":"CloseRepair","name":"Close repair"}}]',
   '[{"ID":"PRIM1","name":"Report","type":"Primary","steps":["EnterReport","ConfirmReport"]},{"ID":"PRIM2","name":"Repair","type":"Primary","steps":["ScheduleRepair"]},{"ID":"PRIM3","name":"Close","type":"Primary","steps":["CloseRepair"]},{"ID":"ALT1","name":"Rejected","type":"Alternate","resolutionStatus":"Resolved-Rejected","steps":[]}]',
   '[{"ID":"Escalate","name":"Escalate","step":{"ID":"EscalateRepair","name":"Escalate the repair","instructions":"Why does this repair need attention now?","fields":[{"name":"Notes","required":true}],"action":{"ID":"EscalateRepair","name":"Escalate"}}}]',
   '[{"ID":"Reporter","name":"Reporter","single":true},{"ID":"Inspector","name":"Inspector"}]',
   '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z')
ON CONFLICT (id) DO UPDATE SET processes = coalesce(processes, excluded.processes),
  fields = CASE WHEN participant_roles IS NULL THEN excluded.fields ELSE fields END,
  participant_roles = coalesce(participant_roles, excluded.participant_roles),
  version = version + 1
  WHERE processes IS NULL OR participant_roles IS NULL;

-- The data type of the street repair's Severity dropdown (DX case model §7): its records are the
-- dropdown's options, read by Pega's engine from D_SeverityList.
INSERT INTO data_types (id, name, description, key_field, fields, created_at, updated_at)
VALUES
  ('Cnow-connectnow-Data-Severity', 'Severity', 'How soon a street repair must be done',
   'Severity',
   '[{"name":"Severity","label":"Severity","type":"string","required":true,"maxLength":20},{"name":"Label","label":"Label","type":"string","required":true,"maxLength":100},{"name":"ResponseDays","label":"Response (days)","type":"number","required":false}]',
   '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z')
ON CONFLICT (id) DO NOTHING;

INSERT INTO data_records
  (data_type_id, key, content, created_by, created_at, updated_by, updated_at)
VALUES
  ('Cnow-connectnow-Data-Severity', 'Low',
   '{"Severity":"Low","Label":"Low: within a month","ResponseDays":30}',
   'seed', '2026-01-01T00:00:00.000Z', 'seed', '2026-01-01T00:00:00.000Z'),
  ('Cnow-connectnow-Data-Severity', 'Medium',
   '{"Severity":"Medium","Label":"Medium: within a week","ResponseDays":7}',
   'seed', '2026-01-01T00:00:00.000Z', 'seed', '2026-01-01T00:00:00.000Z'),
  ('Cnow-connectnow-Data-Severity', 'High',
   '{"Severity":"High","Label":"High: the next day","ResponseDays":1}',
   'seed', '2026-01-01T00:00:00.000Z', 'seed', '2026-01-01T00:00:00.000Z')
ON CONFLICT DO NOTHING;

-- An operator seeded before data types existed reads and writes the severities too.
UPDATE operators
SET privileges = json_insert(json_insert(privileges, '$[#]', 'data:read'), '$[#]', 'data:write'),
  version = version + 1
WHERE id = 'CityServicesAPI'
  AND NOT EXISTS (SELECT 1 FROM json_each(privileges) WHERE value = 'data:read');
UPDATE operators
SET case_types = json_insert(case_types, '$[#]', 'Cnow-connectnow-Data-Severity'),
  version = version + 1
WHERE id = 'CityServicesAPI'
  AND NOT EXISTS (SELECT 1 FROM json_each(case_types)
    WHERE value IN ('*', 'Cnow-connectnow-Data-Severity'));

-- An operator seeded before the street repair existed may work it too.
UPDATE operators
SET case_types = json_insert(case_types, '$[#]', 'Cnow-connectnow-Work-StreetRepair'),
  version = version + 1
WHERE id = 'CityServicesAPI'
  AND NOT EXISTS (SELECT 1 FROM json_each(case_types)
    WHERE value IN ('*', 'Cnow-connectnow-Work-StreetRepair'));
