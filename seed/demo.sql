-- Demo data for local development (`npm start`); never applied to a deployed database.
-- A least-privilege operator and the case type of the city-services flow. Idempotent.
INSERT OR IGNORE INTO operators
  (id, name, access_group_name, privileges, case_types, case_visibility, created_at, updated_at)
VALUES
  ('CityServicesAPI', 'City services API', 'CNOW:APIClients',
   '["casetypes:read","cases:read","cases:create","cases:update"]',
   '["Cnow-connectnow-Work-CityServicesRequest"]', 'own',
   '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z');

-- The seed's case type: a city-services request with the two fields the walk-through sends.
INSERT OR IGNORE INTO case_types
  (id, name, id_prefix, starting_processes, fields, created_at, updated_at)
VALUES
  ('Cnow-connectnow-Work-CityServicesRequest', 'City services request', 'R-',
   '[{"ID":"pyStartCase","name":"Create request"}]',
   '[{"name":"RequestID","type":"string","required":true,"maxLength":64},{"name":"RequestDetail","type":"string","required":true,"maxLength":2000}]',
   '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z');
