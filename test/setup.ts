import { applyD1Migrations } from 'cloudflare:test';
import { env } from 'cloudflare:workers';

// The real schema, from migrations/, in the real local D1 of this test file.
await applyD1Migrations(env.DB, env.TEST_MIGRATIONS);
