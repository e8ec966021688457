import type { Context } from 'hono';
import { invalidRequest, payloadTooLarge, unsupportedMediaType } from '../errors';

export const MAX_BODY_BYTES = 64 * 1024;

/** The request's media type, lower-cased and without parameters (`charset=...`). */
export function mediaType(request: Request): string {
  return (request.headers.get('Content-Type') ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}

/** Reads at most `limit` bytes, stopping (413) as soon as the stream goes past them. */
async function readCapped(
  request: Request,
  limit = MAX_BODY_BYTES,
  tooLarge = () => payloadTooLarge(MAX_BODY_BYTES),
): Promise<Uint8Array> {
  const body = request.body;
  if (!body) return new Uint8Array();
  const chunks: Uint8Array[] = [];
  let length = 0;
  const reader = body.getReader();
  for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
    length += chunk.value.byteLength;
    if (length > limit) {
      await reader.cancel();
      throw tooLarge();
    }
    chunks.push(chunk.value);
  }
  const bytes = new Uint8Array(length);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

/** One strict decoder for every body: decode() without `stream` keeps no state between calls. */
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/**
 * The body as text, refused with 413 past the limit whatever Content-Length claims. A body
 * whose Content-Length is within the limit is read whole (HTTP's framing holds it to that
 * length; the length is checked again); one without is read chunk by chunk and stopped as soon
 * as it passes the limit.
 */
export async function readBodyText(request: Request): Promise<string> {
  const header = request.headers.get('Content-Length');
  const declared = header === null ? Number.NaN : Number(header);
  if (declared > MAX_BODY_BYTES) throw payloadTooLarge(MAX_BODY_BYTES);
  const bytes = Number.isInteger(declared)
    ? new Uint8Array(await request.arrayBuffer())
    : await readCapped(request);
  if (bytes.byteLength > MAX_BODY_BYTES) throw payloadTooLarge(MAX_BODY_BYTES);
  try {
    return utf8.decode(bytes);
  } catch {
    throw invalidRequest('The request body is not valid UTF-8.');
  }
}

/** What a multipart body may hold beside its file: boundaries, headers, small fields. */
const MULTIPART_OVERHEAD_BYTES = 64 * 1024;

/**
 * A `multipart/form-data` body whose file may have up to `maxFileBytes`: 413 at once when
 * Content-Length says more, or as soon as the stream goes past it (nothing more is read);
 * 415 for another media type, 400 when it does not parse.
 */
export async function readMultipart(request: Request, maxFileBytes: number): Promise<FormData> {
  if (mediaType(request) !== 'multipart/form-data') {
    throw unsupportedMediaType('multipart/form-data');
  }
  const limit = maxFileBytes + MULTIPART_OVERHEAD_BYTES;
  const tooLarge = () => payloadTooLarge(maxFileBytes);
  if (Number(request.headers.get('Content-Length') ?? 0) > limit) throw tooLarge();
  const bytes = await readCapped(request, limit, tooLarge);
  try {
    const headers = { 'Content-Type': request.headers.get('Content-Type') as string };
    return await new Response(bytes, { headers }).formData();
  } catch {
    throw invalidRequest('The multipart body does not parse.');
  }
}

/** A JSON body, parsed but not yet validated, with its text: 415 for another media type. */
export async function readRawJson(c: Context): Promise<{ json: unknown; text: string }> {
  if (mediaType(c.req.raw) !== 'application/json') throw unsupportedMediaType('application/json');
  const text = await readBodyText(c.req.raw);
  return { json: parseJsonText(text), text };
}

/**
 * How deep arrays and objects may nest in a JSON body. Pega's deepest body (a data view
 * query's filter) nests 6; anything past this is refused before it is parsed, so no walk over
 * the value (validators, the `__proto__` check) can run out of stack.
 */
export const MAX_JSON_DEPTH = 32;

/** Whether `text` opens more than `max` arrays or objects inside one another (strings skipped). */
function nestsDeeperThan(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let at = 0; at < text.length; at += 1) {
    const code = text.charCodeAt(at);
    if (inString) {
      if (code === 0x5c)
        at += 1; // a backslash escapes the next character
      else if (code === 0x22) inString = false;
    } else if (code === 0x22) {
      inString = true;
    } else if (code === 0x5b || code === 0x7b) {
      depth += 1;
      if (depth > max) return true;
    } else if (code === 0x5d || code === 0x7d) {
      depth -= 1;
    }
  }
  return false;
}

/**
 * JSON text parsed, refused (400) when it is not JSON or nests deeper than MAX_JSON_DEPTH. The
 * one way this service parses JSON a client sent.
 */
export function parseJson(text: string): unknown {
  if (nestsDeeperThan(text, MAX_JSON_DEPTH)) {
    throw invalidRequest(
      `The request body nests arrays and objects deeper than ${MAX_JSON_DEPTH} levels.`,
    );
  }
  try {
    return JSON.parse(text);
  } catch {
    throw invalidRequest('The request body is not valid JSON.');
  }
}

function parseJsonText(text: string): unknown {
  const json = parseJson(text);
  const protoPaths = protoKeyPaths(json, '');
  if (protoPaths.length > 0) {
    throw invalidRequest(
      'The request body is invalid.',
      protoPaths.map((path) => ({ path, message: 'Unknown field: "__proto__" is never a name.' })),
    );
  }
  return json;
}

/**
 * Where a body has a `__proto__` key. JSON.parse keeps it as an ordinary key, but validators and
 * spreads drop it or treat it as the prototype, so it would vanish silently: refused instead.
 */
function protoKeyPaths(value: unknown, path: string): string[] {
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, child]) => {
    const childPath = `${path}.${key}`;
    return key === '__proto__' ? [childPath] : protoKeyPaths(child, childPath);
  });
}

/** A JSON body, parsed but not yet validated; `{}` when empty: for bodies all optional. */
export async function readOptionalRawJson(c: Context): Promise<unknown> {
  const text = await readBodyText(c.req.raw);
  if (text.length === 0) return {};
  if (mediaType(c.req.raw) !== 'application/json') throw unsupportedMediaType('application/json');
  return parseJsonText(text);
}

/**
 * An `application/x-www-form-urlencoded` body as single-valued parameters. RFC 6749 §3.2:
 * a parameter sent twice is an invalid request, and so is any other content type (§4.4.2).
 */
export async function readForm(c: Context): Promise<Record<string, string>> {
  const params = await readFormParams(c);
  const form: Record<string, string> = {};
  for (const [name, value] of params) {
    if (Object.hasOwn(form, name)) throw invalidRequest(`Parameter ${name} is repeated.`);
    form[name] = value;
  }
  return form;
}

/** An `application/x-www-form-urlencoded` body with every value (checkbox groups repeat names). */
export async function readFormParams(c: Context): Promise<URLSearchParams> {
  if (mediaType(c.req.raw) !== 'application/x-www-form-urlencoded') {
    throw invalidRequest('Content-Type must be application/x-www-form-urlencoded.');
  }
  return new URLSearchParams(await readBodyText(c.req.raw));
}
