import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import sparticuz from '@sparticuz/chromium';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { root } from './dev-server';

const { url, adminToken } = inject('devServer');
const screenshots = join(root, '.e2e-screenshots');

// Payloads stored by other people (admins, API consumers): each must render as text.
const XSS = {
  script: '<script>window.__xss = "script"</script>',
  attribute: '"><img src=x onerror="window.__xss = \'attribute\'">',
  link: 'javascript:window.__xss = "link"',
};

let browser: Browser;

beforeAll(async () => {
  mkdirSync(screenshots, { recursive: true });
  // --disable-web-security would switch off what these tests check; one process per page.
  const args = sparticuz.args.filter(
    (arg) => !arg.startsWith('--disable-web-security') && arg !== '--single-process',
  );
  browser = await chromium.launch({
    executablePath: await sparticuz.executablePath(),
    args,
    headless: true,
  });
}, 120_000);

afterAll(async () => {
  await browser?.close();
});

async function newPage(): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
  page.on('dialog', (dialog) => dialog.dismiss());
  return page;
}

async function signIn(page: Page) {
  await page.goto(`${url}/admin/clients`);
  expect(new URL(page.url()).pathname).toBe('/admin/sign-in');
  await page.fill('#token', adminToken);
  await page.click('main button[type=submit]');
  await page.waitForURL(`${url}/admin/clients`);
}

/** No payload ran on this page, nor became markup (escaping, not only the CSP, holds). */
async function expectNoScriptRan(page: Page) {
  expect(await page.evaluate(() => (window as { __xss?: string }).__xss)).toBeUndefined();
  expect(await page.locator('main img, main script, main a[href^="javascript:"]').count()).toBe(0);
}

/** The text of the first element matching `selector`, once it is there. */
async function textOf(page: Page, selector: string): Promise<string> {
  await page.waitForSelector(selector);
  return (await page.locator(selector).first().textContent()) ?? '';
}

const shot = (page: Page, name: string) =>
  page.screenshot({ path: join(screenshots, `${name}.png`), fullPage: true });

async function token(clientId: string, secret: string) {
  const response = await fetch(`${url}/oauth2/v1/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: clientId,
      client_secret: secret,
    }),
  });
  return { status: response.status, body: (await response.json()) as { access_token?: string } };
}

describe('the admin console in a real browser', () => {
  it('walks the seed as an admin: operator, client, secret, case, rotation, revocation', async () => {
    const page = await newPage();
    await page.goto(`${url}/`);
    await shot(page, 'landing');
    await page.click('text=The admin console');
    await page.fill('#token', 'not-the-admin-token-at-all');
    await page.click('main button[type=submit]');
    expect(await textOf(page, '.errors')).toContain('not the admin token');
    await page.fill('#token', adminToken);
    await page.click('main button[type=submit]');
    await page.waitForURL(`${url}/admin/clients`);

    // An operator whose name carries a payload.
    const operatorId = `Console${Date.now()}`;
    await page.goto(`${url}/admin/operators/new`);
    await page.fill('#operatorID', operatorId);
    await page.fill('#name', XSS.script);
    await page.fill('#groupName', XSS.attribute);
    for (const privilege of ['casetypes:read', 'cases:create', 'cases:read']) {
      await page.check(`input[name=privileges][value="${privilege}"]`);
    }
    await page.fill('#caseTypes', 'Cnow-connectnow-Work-CityServicesRequest');
    await page.click('main button[type=submit]');
    await page.waitForURL(`${url}/admin/operators/${operatorId}`);
    await page.goto(`${url}/admin/operators`);
    expect(await textOf(page, 'table')).toContain(XSS.script);
    await expectNoScriptRan(page);

    // Register a client; the secret is on this page and nowhere after it.
    await page.goto(`${url}/admin/clients/new`);
    await page.fill('#name', XSS.attribute);
    await page.fill('#description', XSS.link);
    await page.selectOption('#operatorID', operatorId);
    await page.click('main button[type=submit]');
    expect(await textOf(page, '.warning')).toContain('shown on this page only');
    await shot(page, 'client-registered');
    const clientId = (await page.textContent('#client-id'))?.trim() ?? '';
    const secret = (await page.textContent('#client-secret'))?.trim() ?? '';
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(page.url()).not.toContain(secret);
    expect(await textOf(page, '#token-curl')).toContain(clientId);
    await expectNoScriptRan(page);

    // A consumer gets a token with it and creates a case carrying payloads.
    const first = await token(clientId, secret);
    expect(first.status).toBe(200);
    const created = await fetch(`${url}/api/v1/cases`, {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${first.body.access_token}`,
        'Content-Type': 'application/json',
      },
      body: JSON.stringify({
        caseTypeID: 'Cnow-connectnow-Work-CityServicesRequest',
        content: {
          RequestID: XSS.link.slice(0, 60),
          RequestDetail: `${XSS.script} ${XSS.attribute}`,
        },
      }),
    });
    expect(created.status).toBe(201);
    const { ID: caseId } = (await created.json()) as { ID: string };

    // The admin finds the case, its content shown as text, and its history.
    await page.goto(`${url}/admin/cases`);
    await page.fill('input[name=id]', caseId.split(' ')[1] ?? '');
    await page.click('form.search button');
    await page.click(`a:text("${caseId}")`);
    expect(await textOf(page, 'main')).toContain(XSS.script);
    expect(await textOf(page, 'main')).toContain('case.create');
    expect(await textOf(page, 'main')).toContain('Enter the request');
    for (const part of ['Followers', 'Tags', 'Related cases', 'Participants']) {
      expect(await textOf(page, 'main')).toContain(part);
    }
    // The demo's data type, and its records, in its own section.
    await page.goto(`${url}/admin/datatypes`);
    await page.click('a:text("Cnow-connectnow-Data-Severity")');
    expect(await textOf(page, 'main')).toContain('High: the next day');
    await shot(page, 'case');
    await expectNoScriptRan(page);

    // Regenerate the secret with a grace period: both secrets work meanwhile.
    await page.goto(`${url}/admin/clients/${clientId}`);
    await shot(page, 'client');
    expect(await page.content()).not.toContain(secret);
    await page.click('text=Regenerate secret…');
    await page.fill('#graceSeconds', '600');
    await page.click('main button.danger');
    const renewed = (await page.textContent('#client-secret'))?.trim() ?? '';
    expect(renewed).not.toBe(secret);
    expect((await token(clientId, secret)).status).toBe(200);
    expect((await token(clientId, renewed)).status).toBe(200);

    // Revoke every token: the consumer's old token is refused.
    await page.goto(`${url}/admin/clients/${clientId}`);
    await page.click('text=Revoke all tokens…');
    await page.click('main button.danger');
    expect(await textOf(page, '.notice')).toContain('revoked');
    const refused = await fetch(`${url}/api/v1/cases`, {
      headers: { Authorization: `Bearer ${first.body.access_token}` },
    });
    expect(refused.status).toBe(401);

    // Disable, then enable again: the page shows the client as the change left it.
    await page.click('text=Disable…');
    await page.click('main button.danger');
    expect(await textOf(page, '.notice')).toContain('disabled');
    expect((await token(clientId, renewed)).status).toBe(401);
    await page.click('main button:text("Enable")');
    expect(await textOf(page, '.notice')).toContain('enabled');
    expect(await textOf(page, 'main')).toContain('Disable…');
    expect((await token(clientId, renewed)).status).toBe(200);

    // Everything was audited under the session's name.
    await page.goto(`${url}/admin/audit?q=${clientId}`);
    expect(await textOf(page, 'table')).toContain('client.tokens.revoke');
    expect(await textOf(page, 'table')).toContain('admin token (session ');
    await shot(page, 'audit');
    await expectNoScriptRan(page);

    await page.goto(`${url}/admin/clients?q=${clientId}`);
    await shot(page, 'clients');
    await expectNoScriptRan(page);
    await page.close();
  });

  it('defines a case type with fields and a flow in the form, refusing a bad one with its paths', async () => {
    const page = await newPage();
    await signIn(page);
    const id = `Console-Form-Work-T${Date.now()}`;
    await page.goto(`${url}/admin/casetypes/new`);
    await page.fill('#ID', id);
    await page.fill('#name', 'Pothole report');
    await page.fill('#idPrefix', 'PH-');
    await page.fill('input[name="field.0.name"]', 'Street');
    await page.fill('input[name="field.1.name"]', 'Street');
    await page.click('main button[type=submit]');
    // Two fields with one name: the API's own validation, shown with the path at fault.
    expect(await textOf(page, '.errors')).toContain('.fields');
    await page.fill('input[name="field.1.name"]', 'Depth');
    await page.selectOption('select[name="field.1.type"]', 'number');
    await page.click('main button[type=submit]');
    await page.waitForURL(`${url}/admin/casetypes/${id}`);

    // Now the fields exist, a step's form can offer them.
    await page.click('text=Edit');
    await page.fill('input[name="step.0.ID"]', 'Report');
    await page.fill('input[name="step.0.name"]', 'Report the pothole');
    await page.check('input[name="step.0.fields"][value="Street"]');
    await page.check('input[name="step.0.required"][value="Street"]');
    await page.check('input[name="step.0.fields"][value="Depth"]');
    await page.fill('input[name="step.0.actionID"]', 'SubmitReport');
    await page.fill('input[name="step.0.actionName"]', 'Submit');
    await page.fill('input[name="step.1.ID"]', 'Repair');
    await page.fill('input[name="step.1.name"]', 'Repair it');
    await page.fill('input[name="step.1.actionID"]', 'Done');
    await page.fill('input[name="step.1.actionName"]', 'Repaired');
    await page.selectOption('select[name="step.1.routeTo"]', 'CityServicesAPI');
    await page.click('main button[type=submit]');
    await page.waitForURL(`${url}/admin/casetypes/${id}?done=saved`);
    expect(await textOf(page, '.notice')).toBe('Saved.');
    const flow = await textOf(page, 'main');
    expect(flow).toContain('Report the pothole');
    expect(flow).toContain('Street (required), Depth');
    expect(flow).toContain('CityServicesAPI');
    await shot(page, 'casetype');

    const saved = await fetch(`${url}/admin/v1/casetypes/${id}`, {
      headers: { Authorization: `Bearer ${adminToken}` },
    });
    expect(await saved.json()).toMatchObject({
      fields: [
        { name: 'Street', type: 'string' },
        { name: 'Depth', type: 'number' },
      ],
      flow: [
        {
          ID: 'Report',
          fields: [
            { name: 'Street', required: true },
            { name: 'Depth', required: false },
          ],
        },
        { ID: 'Repair', routeTo: 'CityServicesAPI', action: { ID: 'Done', name: 'Repaired' } },
      ],
    });
    await page.close();
  });

  it("shows the street repair's life cycle, and a save of its form as loaded keeps stages, screens and processes", async () => {
    const page = await newPage();
    await signIn(page);
    const id = 'Cnow-connectnow-Work-StreetRepair';
    const before = (await (
      await fetch(`${url}/admin/v1/casetypes/${id}`, {
        headers: { Authorization: `Bearer ${adminToken}` },
      })
    ).json()) as { flow: unknown; stages: unknown; processes: unknown };
    await page.goto(`${url}/admin/casetypes/${id}`);
    const detail = await textOf(page, 'main');
    expect(detail).toContain('Enter the report → Confirm the report (next screen)');
    expect(detail).toContain('Resolved-Rejected');
    await page.click('text=Edit');
    expect(await page.inputValue('textarea[name="stages"]')).toContain(
      'PRIM1 | Report | Primary |  | EnterReport, ConfirmReport',
    );
    expect(await page.isChecked('input[name="step.1.nextScreen"]')).toBe(true);
    await page.click('main button[type=submit]');
    await page.waitForURL(`${url}/admin/casetypes/${id}?done=saved`);
    const after = (await (
      await fetch(`${url}/admin/v1/casetypes/${id}`, {
        headers: { Authorization: `Bearer ${adminToken}` },
      })
    ).json()) as { flow: unknown; stages: unknown; processes: unknown };
    expect(after.stages).toEqual(before.stages);
    expect(after.processes).toEqual(before.processes);
    expect(after.flow).toEqual(before.flow);
    await shot(page, 'casetype-life-cycle');
    await page.close();
  });

  it('refuses a cross-site form post, and the JSON admin API never takes the cookie', async () => {
    const page = await newPage();
    await signIn(page);
    const cookie = (await page.context().cookies()).find((one) => one.name === 'edgecase_session');
    expect(cookie).toMatchObject({ httpOnly: true, secure: true, sameSite: 'Strict' });
    const session = `edgecase_session=${cookie?.value}`;
    const registered = await fetch(`${url}/admin/v1/clients`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${adminToken}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: 'csrf target', operatorID: 'CityServicesAPI' }),
    });
    const target = (await registered.json()) as { clientID: string; clientSecret: string };

    // A form on another site posting with the admin's cookie: refused, nothing revoked.
    const forged = await fetch(`${url}/admin/clients/${target.clientID}/disable`, {
      method: 'POST',
      headers: {
        Cookie: session,
        Origin: 'https://evil.example',
        'Content-Type': 'application/x-www-form-urlencoded',
      },
      body: '',
      redirect: 'manual',
    });
    expect(forged.status).toBe(403);
    expect((await token(target.clientID, target.clientSecret)).status).toBe(200);

    // The cookie opens console pages only.
    const api = await fetch(`${url}/admin/v1/clients`, { headers: { Cookie: session } });
    expect(api.status).toBe(401);

    // Signing out ends the session on the server: the same cookie opens nothing.
    await page.click('text=Sign out');
    await page.waitForURL(`${url}/admin/sign-in`);
    const after = await fetch(`${url}/admin/clients`, {
      headers: { Cookie: session },
      redirect: 'manual',
    });
    expect(after.status).toBe(303);
    expect(after.headers.get('Location')).toBe('/admin/sign-in');
    await page.close();
  });

  it('serves pages under a strict CSP, framed by nobody, without a referrer', async () => {
    const response = await fetch(`${url}/admin/sign-in`);
    const csp = response.headers.get('Content-Security-Policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toMatch(/script-src 'nonce-[^']+'/);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(response.headers.get('X-Frame-Options')).toBe('DENY');
    expect(response.headers.get('Referrer-Policy')).toBe('no-referrer');
  });

  it('throttles failed sign-ins per address and still takes the right token', async () => {
    const from = { 'CF-Connecting-IP': '198.51.100.77', Origin: url };
    const attempt = (token: string) =>
      fetch(`${url}/admin/sign-in`, {
        method: 'POST',
        headers: { ...from, 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ token }),
        redirect: 'manual',
      });
    for (let i = 0; i < 10; i += 1) expect((await attempt(`wrong-${i}`)).status).toBe(400);
    expect((await attempt('wrong-again')).status).toBe(429);
    expect((await attempt(adminToken)).status).toBe(303);
  });
});
