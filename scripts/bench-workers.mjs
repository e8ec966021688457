// Workers the benchmark runs beside edgecase's bundle. Plain modules, no framework: they are
// what each route cannot avoid, and what edgecase is measured against.

/**
 * The floor: per route, exactly the storage and crypto calls it cannot avoid, in the fewest
 * sequential levels, and nothing else (no routing library, no validation, no error handling).
 *   POST /token   one D1 batch (the client, and its hourly quota counted: a client's quota is
 *                 part of the contract, as in edgecase) + SHA-256 + ES256 sign + one KV put
 *   GET  /read    ES256 verify + one KV get beside one D1 read
 *   POST /create  ES256 verify + one KV get beside one D1 batch of two writes
 *   PUT  /update  ES256 verify + one KV get beside one D1 write
 *   GET  /healthz nothing at all
 */
export const MINIMAL_WORKER = `
const enc = new TextEncoder();
let keys;
async function keyPair() {
  keys ??= await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign', 'verify']);
  return keys;
}
const b64 = (bytes) => btoa(String.fromCharCode(...new Uint8Array(bytes))).replace(/[+/=]/g, (c) => ({ '+': '-', '/': '_', '=': '' })[c]);
const unb64 = (text) => Uint8Array.from(atob(text.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0));
async function sign(claims) {
  const input = b64(enc.encode(JSON.stringify({ alg: 'ES256', typ: 'at+jwt' }))) + '.' + b64(enc.encode(JSON.stringify(claims)));
  const signature = await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, (await keyPair()).privateKey, enc.encode(input));
  return input + '.' + b64(signature);
}
async function verify(token) {
  const [header, payload, signature] = token.split('.');
  const ok = await crypto.subtle.verify({ name: 'ECDSA', hash: 'SHA-256' }, (await keyPair()).publicKey, unb64(signature), enc.encode(header + '.' + payload));
  return ok ? JSON.parse(new TextDecoder().decode(unb64(payload))) : null;
}
export default {
  async fetch(request, env) {
    const path = new URL(request.url).pathname;
    if (path === '/healthz') return Response.json({ status: 'ok' });
    if (path === '/setup') {
      await env.DB.batch([
        env.DB.prepare('CREATE TABLE IF NOT EXISTS clients (id TEXT PRIMARY KEY, secret_hash TEXT)'),
        env.DB.prepare('CREATE TABLE IF NOT EXISTS cases (id INTEGER PRIMARY KEY, content TEXT)'),
        env.DB.prepare('CREATE TABLE IF NOT EXISTS counters (prefix TEXT PRIMARY KEY, last INTEGER)'),
        env.DB.prepare('CREATE TABLE IF NOT EXISTS quota (client_id TEXT, hour INTEGER, used INTEGER, PRIMARY KEY (client_id, hour))'),
        env.DB.prepare("INSERT OR IGNORE INTO clients VALUES ('c', 'h')"),
        env.DB.prepare("INSERT OR IGNORE INTO cases VALUES (1, '{}')"),
      ]);
      return new Response(await sign({ sub: 'c', jti: 'j' }));
    }
    if (path === '/setup-record') {
      await env.KV.put('at:c:j', '{}');
      return new Response('ok');
    }
    if (path === '/token') {
      const form = await request.formData();
      const id = form.get('client_id');
      const hour = Math.floor(Date.now() / 3600000);
      const [[found], digest] = await Promise.all([
        env.DB.batch([
          env.DB.prepare('SELECT * FROM clients WHERE id = ?').bind(id),
          env.DB.prepare('INSERT INTO quota VALUES (?, ?, 1) ON CONFLICT (client_id, hour) DO UPDATE SET used = used + 1 WHERE used < 1000000 RETURNING used').bind(id, hour),
        ]),
        crypto.subtle.digest('SHA-256', enc.encode(form.get('client_secret'))),
      ]);
      const client = found.results[0];
      const jti = crypto.randomUUID();
      const token = await sign({ sub: client.id, jti });
      await env.KV.put('at:c:' + jti, '{}', { expirationTtl: 3600 });
      return Response.json({ access_token: token });
    }
    const claims = await verify(request.headers.get('authorization').slice(7));
    if (path === '/read') {
      const [record, row] = await Promise.all([
        env.KV.get('at:c:' + claims.jti),
        env.DB.prepare('SELECT * FROM cases WHERE id = 1').first(),
      ]);
      return Response.json({ record, row });
    }
    if (path === '/create') {
      const body = await request.text();
      const [record] = await Promise.all([
        env.KV.get('at:c:' + claims.jti),
        env.DB.batch([
          env.DB.prepare("INSERT INTO counters VALUES ('R-', 1) ON CONFLICT (prefix) DO UPDATE SET last = last + 1"),
          env.DB.prepare('INSERT INTO cases (content) VALUES (?)').bind(body),
        ]),
      ]);
      return Response.json({ record }, { status: 201 });
    }
    if (path === '/update') {
      const body = await request.text();
      const [record] = await Promise.all([
        env.KV.get('at:c:' + claims.jti),
        env.DB.prepare('UPDATE cases SET content = json_patch(content, ?) WHERE id = 1').bind(body).run(),
      ]);
      return new Response(record === null ? 'no record' : null, { status: 204 });
    }
    return new Response('ok');
  },
};`;

/**
 * A wrapper around edgecase's bundle that records each request's storage calls and their
 * sequential levels (answered in X-Storage-Calls / X-Storage-Levels), and with a latency set,
 * delays every D1 and KV call by it first: what a consumer far from the D1 primary sees.
 */
export function recordingWrapper(latency) {
  return `
import worker from './index.js';
const LATENCY = ${JSON.stringify(latency ?? { d1: 0, kv: 0 })};
const sleep = (ms) => (ms > 0 ? new Promise((done) => setTimeout(done, ms)) : Promise.resolve());
function recorder() {
  const record = { calls: 0, levels: 0, rowsRead: 0, rowsWritten: 0 };
  let finished = 0;
  const track = (ms, run) => {
    const level = finished + 1;
    record.calls += 1;
    record.levels = Math.max(record.levels, level);
    return sleep(ms).then(run).finally(() => { finished = Math.max(finished, level); });
  };
  // What D1 says each call read and wrote (meta.rows_read, meta.rows_written), summed.
  const count = (result) => {
    for (const one of Array.isArray(result) ? result : [result]) {
      record.rowsRead += one?.meta?.rows_read ?? 0;
      record.rowsWritten += one?.meta?.rows_written ?? 0;
    }
    return result;
  };
  return { record, track, count };
}
function wrapDb(db, track, count) {
  const real = new WeakMap();
  const statement = (s) => {
    const wrapped = new Proxy(s, { get(target, name) {
      const value = Reflect.get(target, name);
      if (name === 'bind') return (...args) => statement(value.apply(target, args));
      if (['all', 'run'].includes(name)) return (...args) => track(LATENCY.d1, () => value.apply(target, args).then(count));
      if (['first', 'raw'].includes(name)) return (...args) => track(LATENCY.d1, () => value.apply(target, args));
      return typeof value === 'function' ? value.bind(target) : value;
    } });
    real.set(wrapped, s);
    return wrapped;
  };
  return new Proxy(db, { get(target, name) {
    if (name === 'prepare') return (sql) => statement(target.prepare(sql));
    if (name === 'batch') return (list) => track(LATENCY.d1, () => target.batch(list.map((s) => real.get(s) ?? s)).then(count));
    const value = Reflect.get(target, name);
    return typeof value === 'function' ? value.bind(target) : value;
  } });
}
function wrapKv(kv, track) {
  return new Proxy(kv, { get(target, name) {
    const value = Reflect.get(target, name);
    if (typeof value !== 'function') return value;
    return (...args) => track(LATENCY.kv, () => value.apply(target, args));
  } });
}
export default {
  async fetch(request, env, ctx) {
    const { record, track, count } = recorder();
    const response = await worker.fetch(request, { ...env, DB: wrapDb(env.DB, track, count), TOKENS: wrapKv(env.TOKENS, track) }, ctx);
    const answer = new Response(response.body, response);
    answer.headers.set('X-Storage-Calls', String(record.calls));
    answer.headers.set('X-Storage-Levels', String(record.levels));
    answer.headers.set('X-Rows-Read', String(record.rowsRead));
    answer.headers.set('X-Rows-Written', String(record.rowsWritten));
    return answer;
  },
};`;
}
