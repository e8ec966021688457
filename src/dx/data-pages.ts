import { createMiddleware } from 'hono/factory';
import {
  cachedDataTypes,
  dataTypesReads,
  mayUseDataType,
  recordsRead,
  recordView,
  rememberDataTypes,
  typeOfListView,
} from '../domain/data-types';
import { allReads, runReads } from '../domain/reads';
import type { AppEnv } from '../http/context';

/**
 * The lists a form's dropdowns read (DX case model §7). Pega's engine takes a dropdown's
 * options from `@DATASOURCE D_X.pxResults`, and looks for `D_X` beside `caseInfo` in the very
 * answer that carries the form: it never fetches the view itself (found by running it). So an
 * answer whose uiResources name a data page gets `data.D_X = {pxResults}`: the records of that
 * data type, read after the answer was made (one round trip more, for these forms only).
 */

/** At most this many records a list: a dropdown of more is no dropdown. */
const MAX_OPTIONS = 500;

interface Answer {
  data?: Record<string, unknown>;
  uiResources?: { resources?: { fields?: Record<string, { datasource?: unknown }[]> } };
}

/** The data pages an answer's form reads its options from. */
function dataPagesOf(answer: Answer): string[] {
  const fields = answer.uiResources?.resources?.fields;
  if (!fields) return [];
  const pages = new Set<string>();
  for (const [definition] of Object.values(fields)) {
    const source = definition?.datasource as { tableType?: string; name?: string } | undefined;
    if (source?.tableType === 'DataPage' && source.name) pages.add(source.name);
  }
  return [...pages];
}

export const dataPages = createMiddleware<AppEnv>(async (c, next) => {
  let sent: Answer | undefined;
  const json = c.json.bind(c);
  c.json = ((body: unknown, ...rest: unknown[]) => {
    sent = body as Answer;
    return (json as (...args: unknown[]) => Response)(body, ...rest);
  }) as typeof c.json;
  await next();
  const answer = sent;
  if (!answer?.data || !c.res.ok) return;
  const pages = dataPagesOf(answer);
  const operator = c.var.principal?.operator;
  if (pages.length === 0 || !operator) return;
  const db = c.env.DB;
  let types = cachedDataTypes();
  if (pages.some((page) => !typeOfListView(types, page))) {
    types = await runReads(db, dataTypesReads(db));
    rememberDataTypes(types);
  }
  const wanted = pages.flatMap((page) => {
    const type = typeOfListView(types, page);
    return type && mayUseDataType(operator, type.id) ? [[page, type] as const] : [];
  });
  if (wanted.length === 0) return;
  const found = await runReads(
    db,
    allReads(
      Object.fromEntries(
        wanted.map(([page, type]) => [page, recordsRead(db, type.id, MAX_OPTIONS)]),
      ),
    ),
  );
  const lists = Object.fromEntries(
    Object.entries(found).map(([page, records]) => [
      page,
      { pxResults: (records as Parameters<typeof recordView>[0][]).map(recordView) },
    ]),
  );
  const headers = new Headers(c.res.headers);
  headers.delete('Content-Length');
  c.res = new Response(JSON.stringify({ ...answer, data: { ...answer.data, ...lists } }), {
    status: c.res.status,
    headers,
  });
});
