// `npm run bench:statements`: what each D1 statement of a route costs workerd, on its own.
// Runs the deploy bundle in workerd as the bench does, records the statements one warm
// request of the route sends to D1, then replays each read (SELECT) a thousand times inside
// the Worker, interleaved with `SELECT 1` and the minimal Worker's read (one row by its key),
// and prints workerd's CPU per call, the median of several rounds. A write is listed, not
// replayed (it would change what it measures). Measured, never asserted.
//
//   npm run bench:statements [-- --route read|token|create|update --calls 1000 --rounds 8]
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { optionValue } from './args.mjs';
import { buildBundle, edgecaseOptions, edgecaseRoutes, startWorker } from './bench-setup.mjs';
import { newSigningJwk } from './signing-key.mjs';

const args = process.argv.slice(2);
const routeName = optionValue(args, '--route') ?? 'read';
const calls = Number(optionValue(args, '--calls') ?? 1000);
const rounds = Number(optionValue(args, '--rounds') ?? 8);

/**
 * The bundle behind a wrapper: `x-record` answers the statements the request sent to D1
 * (those run, alone or in a batch), `x-replay` runs one statement `n` times.
 */
const WRAPPER = `
import worker from './index.js';
export default {
  async fetch(request, env, ctx) {
    if (request.headers.get('x-replay')) {
      const { sql, args, n } = await request.json();
      for (let i = 0; i < n; i += 1) await env.DB.prepare(sql).bind(...args).all();
      return new Response('ok');
    }
    if (!request.headers.get('x-record')) return worker.fetch(request, env, ctx);
    const sent = [];
    const bound = new WeakMap();
    const statement = (real, sql, values = []) => {
      const wrapped = new Proxy(real, { get(target, name) {
        const value = Reflect.get(target, name);
        if (name === 'bind') return (...more) => statement(value.apply(target, more), sql, more);
        if (['all', 'run', 'first', 'raw'].includes(name)) {
          return (...rest) => { sent.push({ sql, args: values }); return value.apply(target, rest); };
        }
        return typeof value === 'function' ? value.bind(target) : value;
      } });
      bound.set(wrapped, { real, sql, values });
      return wrapped;
    };
    const db = new Proxy(env.DB, { get(target, name) {
      if (name === 'prepare') return (sql) => statement(target.prepare(sql), sql);
      if (name === 'batch') return (list) => {
        for (const s of list) sent.push({ sql: bound.get(s).sql, args: bound.get(s).values });
        return target.batch(list.map((s) => bound.get(s)?.real ?? s));
      };
      const value = Reflect.get(target, name);
      return typeof value === 'function' ? value.bind(target) : value;
    } });
    const response = await worker.fetch(request, { ...env, DB: db }, ctx);
    await response.arrayBuffer();
    return Response.json({ status: response.status, sent });
  },
};`;

const bundle = buildBundle();
writeFileSync(join(bundle.outdir, 'statements.js'), WRAPPER);
const adminToken = 'bench-admin-token-0123456789abcdef';
const worker = await startWorker(
  edgecaseOptions(bundle, 'statements.js', adminToken, newSigningJwk('statements')),
);
try {
  const routes = await edgecaseRoutes(worker, adminToken);
  const route = routes[routeName];
  if (!route) throw new Error(`No route ${routeName}: ${Object.keys(routes).join(', ')}`);
  // Twice: the second request is warm (the isolate holds the case type), as the bench's are.
  let recorded;
  for (let i = 0; i < 2; i += 1) {
    const headers = { ...route.headers, 'x-record': '1' };
    recorded = await (await fetch(`${worker.base}${route.path}`, { ...route, headers })).json();
  }
  const caseId = decodeURIComponent(routes.read.path.split('/').at(-1));
  const measured = [
    { name: 'SELECT 1', sql: 'SELECT 1', args: [] },
    {
      name: "the minimal Worker's read: one row by its key",
      sql: 'SELECT * FROM cases WHERE id = ?',
      args: [caseId],
    },
    ...recorded.sent
      .map((one, index) => ({ ...one, name: `statement ${index + 1}` }))
      .filter(({ sql }) => /^\s*SELECT/i.test(sql)),
  ];
  const replay = async ({ sql, args: values }) => {
    const before = worker.cpuMs();
    const response = await fetch(worker.base, {
      method: 'POST',
      headers: { 'x-replay': '1' },
      body: JSON.stringify({ sql, args: values, n: calls }),
    });
    if (!response.ok) throw new Error(`${response.status} ${await response.text()}`);
    return ((worker.cpuMs() - before) * 1000) / calls;
  };
  const samples = new Map(measured.map((one) => [one, []]));
  for (let round = 0; round < rounds; round += 1) {
    for (const one of measured) samples.get(one).push(await replay(one));
  }
  const median = (list) => list.toSorted((a, b) => a - b)[Math.floor(list.length / 2)];
  const floor = median(samples.get(measured[0]));
  console.log(
    `${routeName} (${route.method ?? 'GET'} ${route.path}): answered ${recorded.status}; ${recorded.sent.length} statements sent to D1. workerd CPU per call, median of ${rounds} rounds of ${calls}:`,
  );
  for (const one of measured) {
    const micros = median(samples.get(one));
    const over = one === measured[0] ? '' : ` (${Math.round(micros - floor)} over SELECT 1)`;
    console.log(`  ${String(Math.round(micros)).padStart(5)} µs${over}  ${one.name}`);
  }
  for (const [index, one] of recorded.sent.entries()) {
    const kind = /^\s*SELECT/i.test(one.sql) ? 'read' : 'write, not replayed';
    console.log(`\nstatement ${index + 1} (${kind}, ${one.sql.length} characters):\n${one.sql}`);
  }
} finally {
  await worker.mf.dispose();
}
