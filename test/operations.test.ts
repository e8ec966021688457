import { describe, expect, it } from 'vitest';
import document from '../assets/openapi.json';
import { createApp } from '../src/app';
import { AUDIENCES } from '../src/audiences';
import { routerPath } from '../src/http/operations';
import { fetchWorker, ORIGIN } from './helpers';

/**
 * Routes are data (src/http/operations.ts): what the Worker serves is its tables of operations,
 * each documented, and each answers as its document says.
 */

const operations = AUDIENCES.flatMap((audience) =>
  audience.operations.map((operation) => ({ audience, operation })),
);

/** What the Worker serves beside its tables: no API. */
const NO_API = /^\/(healthz|admin(\/|$)(?!v1\/)|$|[^/]*$)|^\/\*$/;

describe('the tables of operations', () => {
  it('are all the Worker serves: every route but the console, the landing page and /healthz', () => {
    const mounted = new Set(
      operations.flatMap(({ audience, operation }) =>
        audience.bases.map(
          (base) => `${operation.method.toUpperCase()} ${routerPath(`${base}${operation.path}`)}`,
        ),
      ),
    );
    const served = createApp()
      .routes.filter(({ method }) => method !== 'ALL')
      .map(({ method, path }) => `${method} ${path}`);
    const outside = served.filter(
      (route) => !mounted.has(route) && !NO_API.test(route.split(' ')[1] ?? ''),
    );
    expect(outside).toEqual([]);
    for (const route of mounted) expect(served, route).toContain(route);
  });

  it('are each in the served OpenAPI document, by operationId, under the canonical base', () => {
    const paths = document.paths as Record<string, Record<string, { operationId?: string }>>;
    for (const { audience, operation } of operations) {
      const described = paths[`${audience.bases[0]}${operation.path}`]?.[operation.method];
      expect(described?.operationId, `${audience.name}.${operation.id}`).toBe(
        `${audience.name}.${operation.id}`,
      );
    }
    const count = Object.values(paths).reduce((sum, item) => sum + Object.keys(item).length, 0);
    expect(count).toBe(operations.length);
  });

  it('each answer a caller without credentials as the document says, under every base', async () => {
    for (const { audience, operation } of operations) {
      for (const base of audience.bases) {
        const path = `${base}${operation.path}`.replace(/\{[^}]+\}/g, 'X');
        const method = operation.method.toUpperCase();
        const response = await fetchWorker(`${ORIGIN}${path}`, {
          method,
          ...(method !== 'GET' && {
            headers: { 'Content-Type': operation.ownBody ?? 'application/json' },
            body: operation.ownBody === 'application/x-www-form-urlencoded' ? 'x=1' : '{}',
          }),
        });
        // fetchWorker has checked the answer against the document; no guard is skipped.
        const status = response.status;
        if (operation.caller === 'anyone')
          expect([200, 503], `${method} ${path}`).toContain(status);
        else expect([400, 401], `${method} ${path}`).toContain(status);
      }
    }
  });
});
