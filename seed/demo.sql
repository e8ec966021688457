-- Demo data for local development (`npm start`); never applied to a deployed database.
-- A least-privilege operator and the case type of the city-services flow. Idempotent: a
-- database seeded before flows existed is brought up to date, anything else is left alone.
INSERT INTO operators
  (id, name, access_group_name, privileges, case_types, case_visibility, created_at, updated_at)
VALUES
  ('CityServicesAPI', 'City services API', 'CNOW:APIClients',
   '["casetypes:read","cases:read","cases:create","cases:update","assignments:read","assignments:perform"]',
   '["Cnow-connectnow-Work-CityServicesRequest"]', 'own',
   '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z')
ON CONFLICT (id) DO UPDATE SET privileges = excluded.privileges, version = version + 1
  WHERE privileges = '["casetypes:read","cases:read","cases:create","cases:update"]';

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
