// Longer than 300 lines on purpose: the one compiler of data view queries to SQL (columns, conditions, windows, counts), kept whole so that every name in its SQL is visibly the view's own.
import type {
  Condition,
  Filter,
  Query,
  QueryableView,
  Value,
  ViewField,
} from '../domain/data-views';
import { caseListWindow, isCreation, MAX_SCAN } from './case-list-window';
import { OPEN_ASSIGNMENTS_OF } from './case-reads';
import { VISIBLE_TO_OPERATOR } from './case-rows';
import { recordValueCondition, valueRange } from './kept-values';
import type { Reads } from './reads';
import { join, type Sql, sql } from './sql-parts';

/**
 * Data views in SQL. Every name in the SQL comes from the view's own definition (an allowlist
 * the domain checked the query against), every value a client sent is a bound argument, and
 * every query reads a bounded window of rows taken through an index: a case list's as
 * case-list-window.ts chooses, the other views' at most MAX_SCAN rows.
 */

/** Text of this code's own as an SQL literal. */
const literal = (text: string) => `'${text.replaceAll("'", "''")}'`;

/**
 * The open step's `key` (name, instructions) from the flow; for an assignment beside the main
 * flow (`w_step`), its step's, from the flow or the optional processes; `otherwise` without.
 */
const stepText = (key: 'name' | 'instructions', otherwise = '') =>
  sql(
    `COALESCE(CASE WHEN c.w_step IS NULL
       THEN json_extract(t.flow, '$[' || MIN(c.step_index, json_array_length(t.flow) - 1) || '].${key}')
       ELSE COALESCE(
         (SELECT json_extract(f.value, '$.${key}') FROM json_each(t.flow) f
           WHERE json_extract(f.value, '$.ID') = c.w_step),
         (SELECT json_extract(p.value, '$.step.${key}') FROM json_each(t.processes) p
           WHERE json_extract(p.value, '$.step.ID') = c.w_step)) END, ${literal(otherwise)})`,
  );

/** The columns of a case the worklist's window carries beside its assignment's. */
const WORKLIST_CASE_COLUMNS = `cases.seq, cases.id, cases.case_type_id, cases.status, cases.urgency,
  cases.content, cases.created_by, cases.created_at, cases.updated_at, cases.process_id,
  cases.step_index`;

/** The operator `?` may work the type of the case in `cases` (its access group names it). */
const USES_TYPE = `EXISTS (SELECT 1 FROM operators o, json_each(o.case_types) t
    WHERE o.id = ? AND t.value IN ('*', cases.case_type_id))`;

/** The worklist's columns that are the open step's text. */
const STEP_TEXT: Record<string, 'name' | 'instructions'> = {
  pxTaskLabel: 'name',
  pyInstructions: 'instructions',
};

const caseNumber = sql(`substr(c.id, instr(c.id, ' ') + 1)`);

const WORKLIST_COLUMNS: Record<string, Sql> = {
  pzInsKey: sql(`COALESCE(c.w_key, 'ASSIGN-WORKLIST ' || c.id || '!' || upper(c.process_id))`),
  pxRefObjectKey: sql('c.id'),
  pxRefObjectInsName: caseNumber,
  pyLabel: sql('t.name'),
  pxUrgencyAssign: sql('c.urgency'),
  pyAssignmentStatus: sql('c.status'),
  pxAssignedOperatorID: sql('c.assigned_to'),
  pxCreateDateTime: sql('c.assigned_at'),
};

const CASE_COLUMNS: Record<string, Sql> = {
  pzInsKey: sql('c.id'),
  pyID: caseNumber,
  pyLabel: sql('(SELECT name FROM case_types WHERE id = c.case_type_id)'),
  pyStatusWork: sql('c.status'),
  pxUrgencyWork: sql('c.urgency'),
  pxCreateDateTime: sql('c.created_at'),
  pxCreateOperator: sql('c.created_by'),
  pxUpdateDateTime: sql('c.updated_at'),
};

/** A case type field's name, as its definition allows it: safe inside a JSON path literal. */
const FIELD_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;

/**
 * A field's SQL expression. None binds an argument: a query may name a field many times, and
 * D1 takes at most 100 arguments a statement, which are left to the client's values.
 */
function expressionOf(view: QueryableView, field: ViewField): Sql {
  if ('content' in field.source) {
    const name = field.source.content;
    if (!FIELD_NAME.test(name)) throw new Error(`Field name ${name} cannot be queried.`);
    return sql(`json_extract(c.content, '$.${name}')`);
  }
  if (view.source.kind === 'records') return sql(`c.key`);
  if (view.source.kind !== 'worklist') return CASE_COLUMNS[field.source.column] as Sql;
  const step = STEP_TEXT[field.source.column];
  return step
    ? stepText(step, field.source.otherwise)
    : (WORKLIST_COLUMNS[field.source.column] as Sql);
}

/**
 * A data type's records in key order, `bound` at most: where the filter holds a condition on a
 * queryable field (#27), only the records whose kept value may match (data_record_values); else,
 * or while the field is not queryable in the type as D1 holds it, all of the type's. Each branch
 * holds its precondition in its index key, so only one reads any rows.
 */
function recordsWindow(type: string, filter: Filter | null, bound: number): Sql {
  const condition = recordValueCondition(filter);
  if (!condition) {
    return sql(
      `SELECT * FROM data_records WHERE data_type_id = ? ORDER BY key LIMIT ${bound}`,
      type,
    );
  }
  const name = (condition.field.source as { content: string }).content;
  const ready = sql(
    `EXISTS (SELECT 1 FROM data_types t, json_each(t.fields) f
      WHERE t.id = ? AND f.value ->> 'name' = ? AND f.value ->> 'queryable' = 1)`,
    type,
    name,
  );
  return join(
    [
      // CROSS JOIN keeps the kept values the outer loop: the planner cannot see the CASE's value.
      sql(`SELECT * FROM (SELECT r.* FROM data_record_values v
        CROSS JOIN data_records r ON r.data_type_id = v.data_type_id AND r.key = v.key
        WHERE v.data_type_id = CASE WHEN `),
      ready,
      sql(' THEN ? END AND v.field = ? AND ', type, name),
      valueRange(condition),
      sql(' UNION ALL SELECT * FROM data_records WHERE data_type_id = CASE WHEN NOT '),
      ready,
      sql(` THEN ? END) ORDER BY key LIMIT ${bound}`, type),
    ],
    '',
  );
}

/**
 * The rows a view other than a case list starts from (its window) and who may see them; `bound`
 * rows of each branch for a page in the view's own order without a filter (#27: a page reads
 * what it shows), else the whole window.
 */
function sourceOf(
  view: QueryableView,
  operatorId: string,
  /** The query's filter: a condition on a data type's queryable field drives its window. */
  filter: Filter | null,
  bound = MAX_SCAN + 1,
): { window: Sql; where: Sql; order: string; join?: string } {
  if (view.source.kind === 'records') {
    // A data type's records in key order (its primary key): who may read them is the domain's.
    return {
      window: recordsWindow(view.source.dataTypeId, filter, bound),
      where: sql('1'),
      order: 'c.key',
      join: '',
    };
  }
  if (view.source.kind === 'worklist') {
    // Main-flow assignments (cases_worklist), and those beside a main flow (the cases that hold
    // any: cases_other_assignments), each as a row of the case with the assignment's routing.
    return {
      window: sql(
        `SELECT * FROM (SELECT ${WORKLIST_CASE_COLUMNS}, assigned_to, assigned_at,
             NULL AS w_key, NULL AS w_step
           FROM cases WHERE assigned_to = ? AND step_index IS NOT NULL AND ${USES_TYPE}
           ORDER BY urgency DESC, seq LIMIT ${bound})
         UNION ALL SELECT * FROM (SELECT ${WORKLIST_CASE_COLUMNS},
             json_extract(j.value, '$.assignedTo'), json_extract(j.value, '$.assignedAt'),
             json_extract(j.value, '$.ID'), json_extract(j.value, '$.stepId')
           FROM cases, json_each(cases.other_assignments) j
           WHERE cases.other_assignments IS NOT NULL
             AND json_extract(j.value, '$.assignedTo') = ? AND ${USES_TYPE}
           ORDER BY urgency DESC, seq LIMIT ${bound})`,
        operatorId,
        operatorId,
        operatorId,
        operatorId,
      ),
      where: sql(OPEN_ASSIGNMENTS_OF, operatorId),
      order: 'c.urgency DESC, c.seq ASC, c.w_key IS NOT NULL, c.w_key',
    };
  }
  if (view.source.kind === 'followed') {
    // The operator's followed cases that it may still see, the most recently followed first
    // (case_followers_operator, which holds the case's ID after the time: ties go by it), no
    // further than the page's end in that order (#27).
    return {
      window: sql(
        `SELECT c.*, f.created_at AS followed_at FROM case_followers f
         JOIN cases c ON c.id = f.case_id
         WHERE f.operator_id = ? AND ${VISIBLE_TO_OPERATOR}
         ORDER BY f.created_at DESC, f.case_id DESC LIMIT ${bound}`,
        operatorId,
        operatorId,
      ),
      where: sql('1'),
      order: 'c.followed_at DESC, c.id DESC',
      // A case's columns need no join: its type's name is read per row where selected.
      join: '',
    };
  }
  throw new Error('A case list takes its window from caseListWindow.');
}

const bound = (value: Value) => (typeof value === 'boolean' ? Number(value) : value);

function conditionSql(
  view: QueryableView,
  { field, comparator, value, ignoreCase }: Condition,
): Sql {
  const column = expressionOf(view, field);
  const x = ignoreCase ? { ...column, sql: `lower(${column.sql})` } : column;
  const v = ignoreCase ? 'lower(?)' : '?';
  const one = bound(value as Value);
  const compare = (op: string) => sql(`${x.sql} ${op} ${v}`, ...x.args, one);
  switch (comparator) {
    case 'EQ':
      return compare('=');
    case 'NEQ':
      return compare('IS NOT');
    case 'GT':
      return compare('>');
    case 'GTE':
      return compare('>=');
    case 'LT':
      return compare('<');
    case 'LTE':
      return compare('<=');
    case 'CONTAINS':
      return sql(`instr(${x.sql}, ${v}) > 0`, ...x.args, one);
    case 'NOT_CONTAINS':
      return sql(`(${x.sql} IS NULL OR instr(${x.sql}, ${v}) = 0)`, ...x.args, ...x.args, one);
    case 'STARTS_WITH':
      return sql(`substr(${x.sql}, 1, length(?)) = ${v}`, ...x.args, one, one);
    case 'ENDS_WITH':
      return sql(`substr(${x.sql}, -length(?)) = ${v}`, ...x.args, one, one);
    case 'IN':
    case 'NOT_IN': {
      const list = JSON.stringify((value as Value[]).map(bound));
      const values = ignoreCase
        ? '(SELECT lower(value) FROM json_each(?))'
        : '(SELECT value FROM json_each(?))';
      return comparator === 'IN'
        ? sql(`${x.sql} IN ${values}`, ...x.args, list)
        : sql(`(${x.sql} IS NULL OR ${x.sql} NOT IN ${values})`, ...x.args, ...x.args, list);
    }
    case 'IS_NULL':
      return sql(`(${column.sql} IS NULL OR ${column.sql} = '')`, ...column.args, ...column.args);
    case 'IS_NOT_NULL':
      return sql(
        `(${column.sql} IS NOT NULL AND ${column.sql} <> '')`,
        ...column.args,
        ...column.args,
      );
  }
}

function filterSql(view: QueryableView, filter: Filter): Sql {
  switch (filter.op) {
    case 'IS':
      return conditionSql(view, filter.condition);
    case 'NOT': {
      const inner = filterSql(view, filter.of);
      return { sql: `NOT (${inner.sql})`, args: inner.args };
    }
    default: {
      const inner = join(
        filter.of.map((part) => filterSql(view, part)),
        ` ${filter.op} `,
      );
      return { sql: `(${inner.sql})`, args: inner.args };
    }
  }
}

/** SELECT ... FROM the window, filtered: the part the rows and the count share. */
/** The column that carries a row's case content, whose fields are read in JS. */
const CONTENT_COLUMN = '__content';

/**
 * Whether the content fields come in one content column rather than a column each: D1 answers
 * at most 100 columns, and a case type has up to 200 fields. A distinct query compares its
 * columns in SQL, so it has a column each (the API's schema lets a query select at most 50).
 */
const readsContentColumn = (query: Query) =>
  !query.distinct && query.select.some((field) => 'content' in field.source);

/**
 * SELECT ... FROM the window, filtered: the part the rows and the count share, with the
 * statement that says whether its scan stopped short (null where the window answers whole).
 * `scans`: a view other than a case list scans its window for this query (filtered, sorted).
 */
function selection(
  view: QueryableView,
  query: Query,
  operatorId: string,
  bound: number | undefined,
  scans: boolean,
): { body: Sql; order: string; over: Sql | null } {
  const whole = readsContentColumn(query);
  const columns = join(
    [
      ...query.select
        .filter((field) => !(whole && 'content' in field.source))
        .map((field) => sql(`${expressionOf(view, field).sql} AS "${field.name}"`)),
      ...(whole ? [sql(`c.content AS "${CONTENT_COLUMN}"`)] : []),
    ],
    ', ',
  );
  const select = sql(`SELECT ${query.distinct ? 'DISTINCT ' : ''}`);
  if (view.source.kind === 'cases') {
    // The window is filtered and visible already: its walk checks the filter per row (#27).
    const filter = query.filter ? filterSql(view, query.filter) : null;
    const found = caseListWindow(view.source.caseTypeId, query, operatorId, filter, bound);
    return {
      body: join([select, columns, sql(' FROM ('), found.window, sql(') c')], ''),
      order: found.order,
      over: found.over,
    };
  }
  const { window, where, order, join: joined } = sourceOf(view, operatorId, query.filter, bound);
  const conditions = query.filter ? [where, filterSql(view, query.filter)] : [where];
  const body = join(
    [
      select,
      columns,
      sql(' FROM ('),
      window,
      sql(`) c${joined ?? ' JOIN case_types t ON t.id = c.case_type_id'} WHERE `),
      join(conditions, ' AND '),
    ],
    '',
  );
  // Whether the view holds more rows than a query may scan.
  const over = scans
    ? sql(`SELECT COUNT(*) > ${MAX_SCAN} AS over FROM (${window.sql})`, ...window.args)
    : null;
  return { body, order, over };
}

const overFrom = (rows: unknown[]) => Boolean((rows[0] as { over: number } | undefined)?.over);

/** Values as the field's type says: booleans come out of SQLite as 1 and 0. */
function typedRow(query: Query, row: Record<string, unknown>) {
  const content =
    typeof row[CONTENT_COLUMN] === 'string'
      ? (JSON.parse(row[CONTENT_COLUMN]) as Record<string, unknown>)
      : undefined;
  return Object.fromEntries(
    query.select.map((field) => {
      const value =
        (content && 'content' in field.source ? content[field.source.content] : row[field.name]) ??
        null;
      return [
        field.name,
        field.type === 'boolean' && value !== null ? value === 1 || value === true : value,
      ];
    }),
  );
}

export interface DataViewRows {
  rows: Record<string, unknown>[];
  /** Rows past those asked for exist. */
  more: boolean;
  /** The query's bounded scan stopped before its answer was whole (#27): more may match. */
  over: boolean;
}

/** `limit` rows from `offset`, in the query's order and then the view's own. */
export function dataViewRowsRead(
  db: D1Database,
  view: QueryableView,
  query: Query,
  operatorId: string,
  page: { offset: number; limit: number },
): Reads<DataViewRows> {
  const probed = query.filter !== null || query.sort.length > 0;
  // A page's end: a case list's walk in the answer's order, and the other views' in their own
  // order without a filter, read no further.
  const end = page.offset + page.limit + 1;
  const bound = query.distinct || (probed && view.source.kind !== 'cases') ? undefined : end;
  const { body, order, over } = selection(view, query, operatorId, bound, probed);
  // By the fields' expressions, not their aliases: a sort field need not be selected.
  const orderBy = join(
    [
      ...query.sort.map(({ field, descending }) => {
        // A case list's creation time sorts as creation order (case-list-window.ts).
        const expression =
          view.source.kind === 'cases' && isCreation(field)
            ? sql('c.seq')
            : expressionOf(view, field);
        return { ...expression, sql: `${expression.sql} ${descending ? 'DESC' : 'ASC'}` };
      }),
      ...(query.distinct ? [] : [sql(order)]),
    ],
    ', ',
  );
  const text = `${body.sql}${orderBy.sql ? ` ORDER BY ${orderBy.sql}` : ''} LIMIT ? OFFSET ?`;
  const select = db.prepare(text).bind(...body.args, ...orderBy.args, page.limit + 1, page.offset);
  return {
    statements: over ? [db.prepare(over.sql).bind(...over.args), select] : [select],
    from: (results) => {
      const [scan = [], rows = []] = over ? results : [[], results[0]];
      return {
        rows: (rows as Record<string, unknown>[])
          .slice(0, page.limit)
          .map((row) => typedRow(query, row)),
        more: rows.length > page.limit,
        over: overFrom(scan),
      };
    },
  };
}

/**
 * How many rows the query finds in the view: exact where an index answers the query (it reads
 * what it counts), else within the bounded scan, which says when it stopped short.
 */
export function dataViewCountRead(
  db: D1Database,
  view: QueryableView,
  query: Query,
  operatorId: string,
): Reads<{ count: number; over: boolean }> {
  const { body, over } = selection(view, { ...query, sort: [] }, operatorId, undefined, true);
  const count = db.prepare(`SELECT COUNT(*) AS n FROM (${body.sql})`).bind(...body.args);
  return {
    statements: over ? [db.prepare(over.sql).bind(...over.args), count] : [count],
    from: (results) => {
      const [scan = [], rows = []] = over ? results : [[], results[0]];
      return {
        count: Number((rows[0] as { n: number } | undefined)?.n ?? 0),
        over: overFrom(scan),
      };
    },
  };
}
