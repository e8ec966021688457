// Longer than 300 lines on purpose: which index a case list walks for a query, and the one bounded scan where none answers it, kept together so the choice reads as one table.
import type { Condition, Filter, Query, ViewField } from '../domain/data-views';
import { byText, queryableCondition, required, valueRange } from './kept-values';
import { join, type Sql, sql } from './sql-parts';

/**
 * A case list's window (#27): the rows of a case type a query reads, through the index that
 * answers it, so that a page reads about what it shows at any size of the type.
 *
 * - No filter, the list's own order: the newest cases the operator may see, through the type's
 *   index for an operator that sees all, else its own and those routed to it. Exact.
 * - Sorted by one system column (status, urgency, updated): that column's index in the sort's
 *   order (migration 0021), ties by creation in the same direction. Sorted by creation time:
 *   creation order, as the list's own order (cases created in the same millisecond by
 *   different isolates keep the order D1 wrote them in).
 * - Filtered by status or urgency (EQ) in the list's own order: that column's index; by status
 *   and sorted by update time: the two's index.
 * - Filtered by a queryable field: its kept values or trigrams (migration 0020).
 * Anything else the index does not answer (other conditions, visibility for an operator that
 * sees its own cases) is checked per row over at most MAX_SCAN rows of that walk: a documented,
 * bounded scan whose answer says when it stopped short (`over`).
 */
export const MAX_SCAN = 10_000;

/** The system columns a case list has an index of, in the type, by view field. */
const INDEXED_COLUMNS: Record<string, string> = {
  pyStatusWork: 'status',
  pxUrgencyWork: 'urgency',
  pxUpdateDateTime: 'updated_at',
};

/** The columns a filter's equality may walk the index of, with the type its value must have. */
const EQUAL_COLUMNS: Record<string, { column: string; type: 'string' | 'number' }> = {
  pyStatusWork: { column: 'status', type: 'string' },
  pxUrgencyWork: { column: 'urgency', type: 'number' },
};

const columnOf = (field: ViewField) =>
  'column' in field.source ? INDEXED_COLUMNS[field.source.column] : undefined;

/** A sort by creation time alone: creation order, the list's own. */
function byCreation(query: Query) {
  const [first, ...rest] = query.sort;
  return first && rest.length === 0 && isCreation(first.field) ? first : null;
}

/** The view field of a case's creation time, which a case list sorts by creation order. */
export const isCreation = (field: ViewField) =>
  'column' in field.source && field.source.column === 'pxCreateDateTime';

/** The sort a case list's index can follow: one key on an indexed system column. */
function indexedSort(query: Query) {
  const [first, ...rest] = query.sort;
  const column = first && columnOf(first.field);
  return column && rest.length === 0 ? { column, descending: first.descending } : null;
}

/**
 * The columns an index holds before a sort's column (migration 0021): "a status's cases by
 * update time" is the one pair a case list walks in full.
 */
const BEFORE_SORT: Record<string, string[]> = { updated_at: ['status'] };

/**
 * Equalities on status or urgency, exact as the index holds them: all of them in the list's
 * own order, or those an index holds before the sort's column.
 */
function equalities(filter: Filter | null, sortColumn?: string): Sql[] {
  return required(filter).flatMap(({ field, comparator, value, ignoreCase }) => {
    const equal = 'column' in field.source ? EQUAL_COLUMNS[field.source.column] : undefined;
    const held = !sortColumn || (equal && BEFORE_SORT[sortColumn]?.includes(equal.column));
    return equal && held && comparator === 'EQ' && !ignoreCase && typeof value === equal.type
      ? [sql(`c.${equal.column} = ?`, value)]
      : [];
  });
}

/**
 * The cases whose kept value may match a queryable field's condition, newest first. Where the
 * type's values are still being filled in, or the field is not queryable, the type is walked
 * instead (the cases the operator may see): each branch holds its precondition in its index
 * key, so only one reads any rows.
 * (`+c.seq` keeps the planner on the value's index: ordering by case_values_case would read
 * every kept value.)
 */
function queryableMatches(
  type: string,
  condition: Condition,
  operatorId: string,
  cap: number,
  direction: Direction,
): Sql {
  const name = (condition.field.source as { content: string }).content;
  const ready = sql(
    `(NOT EXISTS (SELECT 1 FROM case_values_fill WHERE case_type_id = ?)
      AND EXISTS (SELECT 1 FROM case_types t, json_each(t.fields) f
        WHERE t.id = ? AND f.value ->> 'name' = ? AND f.value ->> 'queryable' = 1))`,
    type,
    type,
    name,
  );
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
          valueRange(condition),
        ],
        '',
      );
  // Each branch `cap` rows at most, in creation order: only one holds any, so the two one after
  // the other are in that order, and the caller's limit stops the walk (a sort of the two
  // would read every match first). FTS5 walks its rowids (the case's seq, times 256) in order;
  // a range of kept values is sorted.
  const by = byText(condition) ? `x.rowid ${direction}` : `+c.seq ${direction}`;
  return join(
    [
      sql('SELECT * FROM (SELECT * FROM ('),
      matches,
      sql(' AND '),
      visible(operatorId),
      sql(` ORDER BY ${by} LIMIT ${cap}) UNION ALL SELECT * FROM (`),
      newestVisible(type, operatorId, ` LIMIT ${cap}`, direction, {
        when: join([sql('NOT '), ready], ''),
      }),
      sql('))'),
    ],
    '',
  );
}

/** The operator's visibility, per row: all cases, or its own and those routed to it. */
const visible = (operatorId: string) =>
  sql(
    `((SELECT case_visibility FROM operators WHERE id = ?) = 'all' OR c.created_by = ?
      OR (c.assigned_to = ? AND c.step_index IS NOT NULL))`,
    operatorId,
    operatorId,
    operatorId,
  );

/**
 * The newest cases of the type the operator may see, exactly, `limit` at most: for an operator
 * that sees all, the type's (through cases_type); else its own and those routed to it (through
 * cases_created_by and cases_assigned: `+` keeps cases_type out of those; UNION drops a case that is both), so other
 * operators' cases never fill its window. The visibility is in the index key (NULL for the
 * branches that do not apply): a condition beside it would be checked per row.
 */
function newestVisible(
  type: string,
  operatorId: string,
  limit: string,
  direction: Direction,
  { when }: { when?: Sql } = {},
): Sql {
  const visibility = '(SELECT case_visibility FROM operators WHERE id = ?)';
  // A precondition of the whole walk, in each branch's key.
  const also = when ? join([sql(' AND '), when], '') : sql('');
  /** The cases whose `column` is `key` (the operator where it sees its own), and `more`. */
  const branch = (column: string, seen: '=' | '<>', key: unknown, more = sql('')) => [
    sql(
      `SELECT c.* FROM cases c WHERE c.${column} = CASE WHEN ${visibility} ${seen} 'all'`,
      operatorId,
    ),
    also,
    sql(' THEN ? END', key),
    more,
  ];
  const ofType = sql(' AND +c.case_type_id = ?', type);
  // Plain branches under one ORDER BY: SQLite merges them in their indexes' order and stops at
  // the limit (a branch wrapped in a subquery would be sorted whole first).
  return join(
    [
      ...branch('case_type_id', '=', type),
      sql(' UNION '),
      ...branch('created_by', '<>', operatorId, ofType),
      sql(' UNION '),
      ...branch(
        'assigned_to',
        '<>',
        operatorId,
        join([sql(' AND c.step_index IS NOT NULL'), ofType], ''),
      ),
      sql(` ORDER BY seq ${direction}${limit}`),
    ],
    '',
  );
}

export interface CaseWindow {
  /** The cases the query finds, visible to the operator, in `order` where `ordered`. */
  window: Sql;
  /** The view's order after the query's sort: ties by creation. */
  order: string;
  /**
   * The statement that says whether the bounded scan stopped before the answer was whole (a
   * column `over`); null where the index answers the whole query.
   */
  over: Sql | null;
}

type Direction = 'ASC' | 'DESC';

const limitOf = (rows: number | undefined) => (rows === undefined ? '' : ` LIMIT ${rows}`);

/**
 * The window of a case list for a query (its filter compiled by the caller, as `filterSql`):
 * `bound` rows at most where the walk is in the answer's order (a page's end), else every match
 * within the scan (a sort the index cannot follow, a distinct query, a count).
 */
export function caseListWindow(
  type: string,
  query: Query,
  operatorId: string,
  filterSql: Sql | null,
  bound: number | undefined,
): CaseWindow {
  // Creation time is creation order (`seq`): a sort by it walks as the list's own order does.
  const creation = byCreation(query);
  const direction: Direction = creation?.descending === false ? 'ASC' : 'DESC';
  const sort = creation ? null : indexedSort(query);
  const unsorted = creation !== null || query.sort.length === 0;
  // Ties by creation: in a system column's sort, in its direction (the index's order).
  const order = sort ? `c.seq ${sort.descending ? 'DESC' : 'ASC'}` : `c.seq ${direction}`;
  if (!filterSql && unsorted) {
    return {
      window: newestVisible(type, operatorId, limitOf(bound), direction),
      order,
      over: null,
    };
  }
  const queryable = queryableCondition(query.filter);
  // Equalities walk their column's index where no sort asks for another order.
  const equal = unsorted
    ? equalities(query.filter)
    : sort
      ? equalities(query.filter, sort.column)
      : [];
  // The walk, `cap` rows of it: the one index that answers most of the query, and what it
  // leaves to check per row (the filter, re-checked whole; the visibility where not in it).
  let walk: (cap: number) => Sql;
  let checked: Sql[] = filterSql ? [filterSql] : [];
  let ordered = unsorted;
  if (queryable) {
    walk = (cap) => queryableMatches(type, queryable, operatorId, cap, direction);
  } else if (sort || equal.length > 0) {
    // A system column's index: the sort's, in its order, or the equality's, by creation.
    const by = sort
      ? `c.${sort.column} ${sort.descending ? 'DESC' : 'ASC'}, c.seq ${sort.descending ? 'DESC' : 'ASC'}`
      : `c.seq ${direction}`;
    walk = (cap) =>
      join(
        [
          sql('SELECT c.* FROM cases c WHERE c.case_type_id = ?', type),
          ...equal.map((condition) => join([sql(' AND '), condition], '')),
          sql(` ORDER BY ${by} LIMIT ${cap}`),
        ],
        '',
      );
    checked = [visible(operatorId), ...checked];
    ordered = true;
  } else {
    walk = (cap) => newestVisible(type, operatorId, limitOf(cap), direction);
  }
  ordered &&= !query.distinct && bound !== undefined;
  const window = join(
    [
      sql('SELECT * FROM ('),
      walk(MAX_SCAN),
      sql(') c WHERE '),
      checked.length > 0 ? join(checked, ' AND ') : sql('1'),
      sql(ordered ? limitOf(bound) : ''),
    ],
    '',
  );
  const walked = (walkSql: string) => `(SELECT COUNT(*) FROM (${walkSql})) > ${MAX_SCAN}`;
  const beyond = walk(MAX_SCAN + 1);
  // In the answer's order, the scan stopped short only where the page is not full: the walk is
  // counted then only (the window's arguments numbered, so that the walk's, first in both, are
  // bound once: D1 takes at most 100 a statement, and a query's own conditions may take 80).
  // Otherwise, whether the walk holds more than the scan.
  const over = ordered
    ? sql(
        `SELECT CASE WHEN (SELECT COUNT(*) FROM (${numbered(window.sql)})) < ${bound}
           THEN ${walked(numbered(beyond.sql))} ELSE 0 END AS over`,
        ...window.args,
      )
    : sql(`SELECT ${walked(beyond.sql)} AS over`, ...beyond.args);
  return { window, order, over };
}

/** SQL text with its anonymous arguments numbered from 1 (`?1`, `?2`, ...), literals untouched. */
function numbered(text: string): string {
  let next = 0;
  return text
    .split(/('(?:[^']|'')*')/)
    .map((part, index) => (index % 2 === 1 ? part : part.replaceAll('?', () => `?${++next}`)))
    .join('');
}
