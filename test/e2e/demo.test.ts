import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { expect, inject, it } from 'vitest';

const { url, adminToken } = inject('devServer');
const root = resolve(import.meta.dirname, '../..');

function runDemo(args: string[], env: Record<string, string>) {
  return new Promise<{ code: number | null; output: string }>((done) => {
    const child = spawn(process.execPath, ['scripts/demo.mjs', ...args], {
      cwd: root,
      env: { ...process.env, ...env },
    });
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
    });
    child.stderr.on('data', (chunk) => {
      output += chunk;
    });
    child.on('exit', (code) => done({ code, output }));
  });
}

it('npm run demo walks the seed flow and ends with the case ID and class', async () => {
  const { code, output } = await runDemo(['--url', url], { EDGECASE_ADMIN_TOKEN: adminToken });
  expect(output).toMatch(
    /Case ID: CNOW-CONNECTNOW-WORK R-\d+\nStatus: {2}Resolved-Completed\nClass: {3}Cnow-connectnow-Work-CityServicesRequest\n$/,
  );
  expect(output).toContain('Register an API client');
  expect(code).toBe(0);
});

it('npm run demo -- --v2 works the same case to the end through DX API v2, then a street repair through its stages', async () => {
  const { code, output } = await runDemo(['--url', url, '--v2'], {
    EDGECASE_ADMIN_TOKEN: adminToken,
  });
  expect(output).toContain('Perform SubmitRequest with If-Match: "1"');
  expect(output).toContain('(form ApproveRequest: RequestDetail)');
  expect(output).toMatch(
    /Case ID: CNOW-CONNECTNOW-WORK R-\d+\nStatus: {2}Resolved-Completed\nClass: {3}Cnow-connectnow-Work-CityServicesRequest\n/,
  );
  // Then the street repair through its stages: two screens of one assignment, with Previous.
  expect(output).toContain('screens: Enter the report:success, Confirm the report:current');
  expect(output).toContain('stage Repair (Open); Report:completed → Repair:active');
  expect(output).toMatch(
    /Street repairs: CNOW-CONNECTNOW-WORK SR-\d+ Resolved-Completed, CNOW-CONNECTNOW-WORK SR-\d+ Resolved-Rejected\n$/,
  );
  expect(code).toBe(0);
});

it('says clearly when the server is not reachable', async () => {
  const { code, output } = await runDemo(['--url', 'http://127.0.0.1:9'], {
    EDGECASE_ADMIN_TOKEN: adminToken,
  });
  expect(code).toBe(1);
  expect(output).toMatch(/Cannot reach http:\/\/127\.0\.0\.1:9: is the server running/);
});
