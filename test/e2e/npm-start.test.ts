import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { env, freePort, localDevArgs, root, type Served, serve } from './dev-server';

let server: Served | undefined;
afterAll(async () => {
  await server?.stop();
});

it('npm start completes the env file, loads the demo data and serves; npm run demo walks the seed', async () => {
  // Its own env file and state, so the developer's .dev.vars and .wrangler/state stay untouched.
  const dir = mkdtempSync(join(tmpdir(), 'edgecase-start-'));
  const envFile = join(dir, 'dev.env');
  const existingToken = 'kept-as-it-was-0123456789abcdef';
  writeFileSync(envFile, `ADMIN_TOKEN=${existingToken}\n`);
  const port = await freePort();

  server = await serve(
    'npm',
    [
      'start',
      '--',
      ...(await localDevArgs(port)),
      '--persist-to',
      join(dir, 'state'),
      '--env-file',
      envFile,
    ],
    port,
  );
  const vars = readFileSync(envFile, 'utf8');
  expect(vars).toContain(`ADMIN_TOKEN=${existingToken}\n`);
  expect(vars).toMatch(/^SIGNING_KEYS='\[\{"kty":"EC".*"alg":"ES256"\}\]'$/m);
  expect(server.output()).toContain(`edgecase: wrote SIGNING_KEYS to ${envFile}`);
  // Once up: where the console is and how to sign in; not the migration tables.
  await expect
    .poll(() => server?.output() ?? '')
    .toContain(`Console:   http://localhost:${port}/admin/`);
  expect(server.output()).not.toMatch(/Migrations to be applied|┌/);
  // The console's own Worker has the env file's ADMIN_TOKEN too: its sign-in takes the token.
  const signIn = await fetch(`${server.url}/admin/sign-in`);
  expect(signIn.status).toBe(200);
  expect(await signIn.text()).toContain('id="token"');

  const demo = spawnSync('npm', ['run', 'demo', '--', '--url', server.url, '--env-file', envFile], {
    cwd: root,
    env,
    encoding: 'utf8',
  });
  expect(demo.stdout).toMatch(
    /Case ID: CNOW-CONNECTNOW-WORK R-1001\nStatus: {2}Resolved-Completed\nClass: {3}Cnow-connectnow-Work-CityServicesRequest\n/,
  );
  expect(demo.status).toBe(0);
});
