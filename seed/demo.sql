-- Demo data for local development (`npm start`); never applied to a deployed database.
-- A least-privilege operator for the city-services flow. Idempotent.
INSERT OR IGNORE INTO operators
  (id, name, access_group_name, privileges, case_types, case_visibility, created_at, updated_at)
VALUES
  ('CityServicesAPI', 'City services API', 'CNOW:APIClients',
   '["casetypes:read","cases:read","cases:create"]',
   '["Cnow-connectnow-Work-CityServicesRequest"]', 'own',
   '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z');
