// Longer than 300 lines on purpose: the one compiler of data view queries to SQL (columns, conditions, windows, counts), kept whole so that every name in its SQL is visibly the view's own.
import type {
  Condition,
  Filter,
  Query,
  QueryableView,
  Value,
  ViewField,
} from '../domain/data-views';
import { OPEN_ASSIGNMENTS_OF } from './case-reads';
import { VISIBLE_TO_OPERATOR } from './case-rows';
import type { Reads } from './reads';

/**
 * Data views in SQL. Every name in the SQL comes from the view's own definition (an allowlist
 * the domain checked the query against), every value a client sent is a bound argument, and
 * every query reads a bounded window of rows: at most MAX_SCAN cases, taken through an index.
 */
export const MAX_SCAN = 10_000;

interface Sql {
  sql: string;
  args: unknown[];
}

const sql = (text: string, ...args: unknown[]): Sql => ({ sql: text, args });

const join = (parts: Sql[], separator: string): Sql => ({
  sql: parts.map((part) => part.sql).join(separator),
  args: parts.flatMap((part) => part.args),
});

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
  pyLabel: sql('t.name'),
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

/** The rows a view starts from (its window) and who may see them. */
function sourceOf(
  view: QueryableView,
  operatorId: string,
  /** The query's filter: a condition on a queryable field can drive the window (#27). */
  filter: Filter | null,
  /**
   * How many rows each branch of the window reads: the page's end for a query in the view's own
   * order without a filter (#27: a page reads what it shows), else the whole window.
   */
  bound = MAX_SCAN + 1,
): { window: Sql; where: Sql; order: string; join?: string } {
  if (view.source.kind === 'records') {
    // A data type's records in key order (its primary key): who may read them is the domain's.
    return {
      window: sql(
        `SELECT * FROM data_records WHERE data_type_id = ? ORDER BY key LIMIT ${bound}`,
        view.source.dataTypeId,
      ),
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
    // The operator's followed cases (case_followers_operator), the newest followed first.
    return {
      window: sql(
        `SELECT c.* FROM case_followers f JOIN cases c ON c.id = f.case_id
         WHERE f.operator_id = ? ORDER BY f.created_at DESC LIMIT ${MAX_SCAN + 1}`,
        operatorId,
      ),
      where: sql(VISIBLE_TO_OPERATOR, operatorId),
      order: 'c.seq DESC',
    };
  }
  const indexed = indexedCondition(filter);
  if (indexed) return indexedSource(view.source.caseTypeId, indexed, operatorId, bound);
  // The newest cases of the type that the operator may see: for an operator that sees all, the
  // type's (through cases_type); else its own and those routed to it (through cases_created_by
  // and cases_assigned: `+` keeps cases_type out of those; UNION drops a case that is both), so
  // other operators' cases never fill its window. Each branch reads at most the window, or for
  // a page in the view's own order the page's end (#27). The visibility is in the index key
  // (NULL for the branches that do not apply): a condition beside it would be checked per row.
  const type = view.source.caseTypeId;
  const newest = `ORDER BY c.seq DESC LIMIT ${bound}`;
  const visibility = '(SELECT case_visibility FROM operators WHERE id = ?)';
  return {
    window: sql(
      `SELECT * FROM (
         SELECT * FROM (SELECT c.* FROM cases c
           WHERE c.case_type_id = CASE WHEN ${visibility} = 'all' THEN ? END ${newest})
         UNION SELECT * FROM (SELECT c.* FROM cases c
           WHERE c.created_by = CASE WHEN ${visibility} <> 'all' THEN ? END
             AND +c.case_type_id = ? ${newest})
         UNION SELECT * FROM (SELECT c.* FROM cases c
           WHERE c.assigned_to = CASE WHEN ${visibility} <> 'all' THEN ? END
             AND c.step_index IS NOT NULL AND +c.case_type_id = ? ${newest})
       ) ORDER BY seq DESC LIMIT ${bound}`,
      ...[operatorId, type],
      ...[operatorId, operatorId, type],
      ...[operatorId, operatorId, type],
    ),
    // The branches are the visibility rule itself (the type's access is the caller's check):
    // checking it again per row would read the operator and its types for each (#27).
    where: sql('1'),
    order: 'c.seq DESC',
  };
}

/**
 * What a queryable field's index answers: a number compared in any way, text equal to or
 * starting with a value. Text is kept lower-cased, so the index finds every case the condition
 * may match (in any case) and the condition itself, applied after, keeps the ones it does.
 */
function indexable({ comparator, value }: Condition): boolean {
  if (typeof value === 'number') return ['EQ', 'GT', 'GTE', 'LT', 'LTE'].includes(comparator);
  if (typeof value !== 'string') return false;
  if (comparator === 'EQ' || comparator === 'STARTS_WITH') return true;
  // Trigrams find any substring of 3 characters or more.
  return (comparator === 'CONTAINS' || comparator === 'ENDS_WITH') && [...value].length >= 3;
}

/** A text condition the trigram index answers (`case_text`), rather than the values' range. */
const byText = ({ comparator }: Condition) =>
  comparator === 'CONTAINS' || comparator === 'ENDS_WITH';

/**
 * The condition of a filter that a queryable field's index may answer: the filter itself, or
 * one of the conditions an AND requires, on a case type field; null where none can (the window
 * is scanned). Whether the field is queryable is the SQL's to say (indexedSource), not this
 * isolate's cached definition, which may be older than the admin's change.
 */
function indexedCondition(filter: Filter | null): Condition | null {
  if (!filter) return null;
  const parts = filter.op === 'IS' ? [filter] : filter.op === 'AND' ? filter.of : [];
  for (const part of parts) {
    if (part.op !== 'IS') continue;
    if ('content' in part.condition.field.source && indexable(part.condition)) {
      return part.condition;
    }
  }
  return null;
}

/** The range of kept values a condition reads (`v.value`), its arguments bound. */
function valueRange({ comparator, value }: Condition): Sql {
  switch (comparator) {
    case 'STARTS_WITH':
      return sql('v.value >= lower(?) AND v.value < lower(?) || char(1114111)', value, value);
    case 'GT':
      return sql('v.value > ?', value);
    case 'GTE':
      return sql('v.value >= ?', value);
    case 'LT':
      return sql('v.value < ?', value);
    case 'LTE':
      return sql('v.value <= ?', value);
    default:
      return typeof value === 'string'
        ? sql('v.value = lower(?)', value)
        : sql('v.value = ?', value);
  }
}

/**
 * A case list's window driven by a queryable field's index (#27): the cases whose kept value
 * matches, newest first, that the operator may see. Where the type's values are still being
 * filled in, or the field is not queryable, the type is scanned as before: each branch holds
 * its precondition in its index key, so only one of the two reads any rows. (`+v.seq` keeps
 * the planner on the value's index: ordering by case_values_case would read every kept value.)
 */
function indexedSource(
  type: string,
  condition: Condition,
  operatorId: string,
  bound: number,
): { window: Sql; where: Sql; order: string } {
  const name = (condition.field.source as { content: string }).content;
  const ready = sql(
    `(NOT EXISTS (SELECT 1 FROM case_values_fill WHERE case_type_id = ?)
      AND EXISTS (SELECT 1 FROM case_types t, json_each(t.fields) f
        WHERE t.id = ? AND f.value ->> 'name' = ? AND f.value ->> 'queryable' = 1))`,
    type,
    type,
    name,
  );
  const seen = sql(
    `((SELECT case_visibility FROM operators WHERE id = ?) = 'all' OR c.created_by = ?
      OR (c.assigned_to = ? AND c.step_index IS NOT NULL))`,
    operatorId,
    operatorId,
    operatorId,
  );
  const range = valueRange(condition);
  const matches = byText(condition)
    ? // A phrase of the text as FTS5 quotes it: any case, anywhere in the value.
      join(
        [
          sql('SELECT c.* FROM case_text x JOIN cases c ON c.seq = x.rowid / 256 WHERE '),
          ready,
          sql(
            ` AND x.case_text MATCH '"' || replace(?, '"', '""') || '"'
              AND x.case_type_id = ? AND x.field = ?`,
            condition.value,
            type,
            name,
          ),
        ],
        '',
      )
    : join(
        [
          sql(
            'SELECT c.* FROM case_values v JOIN cases c ON c.seq = v.seq WHERE v.case_type_id = CASE WHEN ',
          ),
          ready,
          sql(' THEN ? END AND v.field = ? AND ', type, name),
          range,
        ],
        '',
      );
  return {
    window: join(
      [
        sql('SELECT * FROM (SELECT * FROM ('),
        matches,
        sql(' AND '),
        seen,
        sql(` ORDER BY +c.seq DESC LIMIT ${bound})
         UNION ALL SELECT * FROM (SELECT c.* FROM cases c WHERE c.case_type_id = CASE WHEN NOT `),
        ready,
        sql(' THEN ? END AND ', type),
        seen,
        sql(` ORDER BY c.seq DESC LIMIT ${bound})) ORDER BY seq DESC LIMIT ${bound}`),
      ],
      '',
    ),
    where: sql('1'),
    order: 'c.seq DESC',
  };
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

function selection(view: QueryableView, query: Query, operatorId: string, bound?: number) {
  const { window, where, order, join: joined } = sourceOf(view, operatorId, query.filter, bound);
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
  const conditions = query.filter ? [where, filterSql(view, query.filter)] : [where];
  const body = join(
    [
      sql(`SELECT ${query.distinct ? 'DISTINCT ' : ''}`),
      columns,
      sql(' FROM ('),
      window,
      sql(`) c${joined ?? ' JOIN case_types t ON t.id = c.case_type_id'} WHERE `),
      join(conditions, ' AND '),
    ],
    '',
  );
  return { body, window, order };
}

/** Whether the view holds more rows than a query may scan. */
const overStatement = (db: D1Database, window: Sql) =>
  db.prepare(`SELECT COUNT(*) > ${MAX_SCAN} AS over FROM (${window.sql})`).bind(...window.args);

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
  /**
   * The view holds more rows than a query may scan. Asked only of a filtered or sorted query,
   * the only kind the answer can refuse; false for any other.
   */
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
  // In the view's own order and unfiltered, each branch reads no further than this page's end.
  const bound = probed || query.distinct ? undefined : page.offset + page.limit + 1;
  const { body, window, order } = selection(view, query, operatorId, bound);
  // By the fields' expressions, not their aliases: a sort field need not be selected.
  const orderBy = join(
    [
      ...query.sort.map(({ field, descending }) => {
        const expression = expressionOf(view, field);
        return { ...expression, sql: `${expression.sql} ${descending ? 'DESC' : 'ASC'}` };
      }),
      ...(query.distinct ? [] : [sql(order)]),
    ],
    ', ',
  );
  const text = `${body.sql}${orderBy.sql ? ` ORDER BY ${orderBy.sql}` : ''} LIMIT ? OFFSET ?`;
  const select = db.prepare(text).bind(...body.args, ...orderBy.args, page.limit + 1, page.offset);
  return {
    statements: probed ? [overStatement(db, window), select] : [select],
    from: (results) => {
      const [over = [], rows = []] = probed ? results : [[], results[0]];
      return {
        rows: (rows as Record<string, unknown>[])
          .slice(0, page.limit)
          .map((row) => typedRow(query, row)),
        more: rows.length > page.limit,
        over: overFrom(over),
      };
    },
  };
}

/** How many rows the query finds in the view. */
export function dataViewCountRead(
  db: D1Database,
  view: QueryableView,
  query: Query,
  operatorId: string,
): Reads<{ count: number; over: boolean }> {
  const { body, window } = selection(view, query, operatorId);
  return {
    statements: [
      overStatement(db, window),
      db.prepare(`SELECT COUNT(*) AS n FROM (${body.sql})`).bind(...body.args),
    ],
    from: ([over = [], rows = []]) => ({
      count: Number((rows[0] as { n: number } | undefined)?.n ?? 0),
      over: overFrom(over),
    }),
  };
}
