import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-plugin';
import { build } from 'esbuild';
import { defineConfig } from 'vitest/config';
import { newSigningJwk } from './scripts/signing-key.mjs';

// The console's Worker, bundled for the CONSOLE service binding of the API Worker under test
// (wrangler.toml). Tests reach the console in-process (test/helpers.ts callWithEnv), on the
// test file's own storage; this Worker answers the binding's calls through the Worker itself.
const consoleWorker = '.vitest/console-worker.mjs';
await build({
  entryPoints: ['src/console-worker.ts'],
  outfile: consoleWorker,
  bundle: true,
  format: 'esm',
  platform: 'neutral',
  conditions: ['workerd', 'worker', 'browser'],
  mainFields: ['module', 'main'],
  external: ['cloudflare:*'],
  jsx: 'automatic',
  jsxImportSource: 'hono/jsx',
  logLevel: 'error',
});

// Test-only secrets, made fresh for each run: nothing here is ever a deployed value.
const signingKeys = [newSigningJwk('test-key-1'), newSigningJwk('test-key-2')];

export default defineConfig({
  test: {
    // The JSON report lets .ci/run print one plain "N passed, N failed" line.
    reporters: ['default', ['json', { outputFile: '.vitest/results.json' }]],
    projects: [
      {
        // The Worker's own tests: inside workerd, real local D1 and KV per test file.
        plugins: [
          cloudflareTest({
            wrangler: { configPath: './wrangler.toml' },
            miniflare: {
              bindings: {
                TEST_MIGRATIONS: await readD1Migrations('migrations'),
                // The tests' requests go to this origin; outside loopback ISSUER is required.
                ISSUER: 'https://edgecase.test',
                ADMIN_TOKEN: 'test-admin-token-0123456789abcdef',
                SIGNING_KEYS: JSON.stringify(signingKeys),
              },
              workers: [
                {
                  name: 'edgecase-console',
                  modules: true,
                  scriptPath: consoleWorker,
                  compatibilityDate: '2026-11-01',
                  bindings: {
                    ISSUER: 'https://edgecase.test',
                    ADMIN_TOKEN: 'test-admin-token-0123456789abcdef',
                    SIGNING_KEYS: JSON.stringify(signingKeys),
                  },
                  d1Databases: ['DB'],
                  kvNamespaces: ['TOKENS'],
                  r2Buckets: ['ATTACHMENTS'],
                },
              ],
            },
          }),
        ],
        test: {
          name: 'workers',
          include: ['test/**/*.test.ts'],
          exclude: ['test/node/**', 'test/e2e/**'],
          setupFiles: ['./test/setup.ts'],
        },
      },
      {
        // Tools that need Node (an OpenAPI validator that compiles schemas at run time).
        test: { name: 'node', include: ['test/node/**/*.test.ts'], environment: 'node' },
      },
      {
        // End to end: a real `wrangler dev` driven by third-party clients, newman and scripts.
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['./test/e2e/global-setup.ts'],
          // Every answer from the local server is checked against the OpenAPI document.
          setupFiles: ['./test/e2e/contract.ts'],
          testTimeout: 120_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
