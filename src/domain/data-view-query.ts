import type { FieldIssue } from '../errors';
import { invalidRequest } from '../errors';
import type { QueryableView, ViewField } from './data-views';

/**
 * Pega's data view query (`select`, `filter` with `filterConditions` and `logic`, `sortBy`,
 * `distinctResultsOnly`) parsed against a view's fields into a typed filter tree: every name
 * allowlisted, every value typed, the logic bounded so that no query passes D1's limits.
 */

export const COMPARATORS = [
  'EQ',
  'NEQ',
  'GT',
  'GTE',
  'LT',
  'LTE',
  'CONTAINS',
  'NOT_CONTAINS',
  'STARTS_WITH',
  'ENDS_WITH',
  'IN',
  'NOT_IN',
  'IS_NULL',
  'IS_NOT_NULL',
] as const;
export type Comparator = (typeof COMPARATORS)[number];

export type Value = string | number | boolean;

/** A condition on one field: the value (or values, for IN) already checked against its type. */
export interface Condition {
  field: ViewField;
  comparator: Comparator;
  value: Value | Value[] | undefined;
  ignoreCase: boolean;
}

export type Filter =
  | { op: 'AND' | 'OR'; of: Filter[] }
  | { op: 'NOT'; of: Filter }
  | { op: 'IS'; condition: Condition };

export interface Query {
  select: ViewField[];
  distinct: boolean;
  filter: Filter | null;
  sort: { field: ViewField; descending: boolean }[];
}

/** The query as a client sends it, shape-checked by the API's schema. */
export interface QueryRequest {
  select?: { field: string }[] | undefined;
  filter?:
    | {
        filterConditions: Record<
          string,
          {
            lhs: { field: string };
            comparator: string;
            rhs?: { value?: unknown; values?: unknown[] } | undefined;
            ignoreCase?: boolean | undefined;
          }
        >;
        logic?: string | undefined;
      }
    | undefined;
  sortBy?: { field: string; type?: 'ASC' | 'DESC' | undefined }[] | undefined;
  distinctResultsOnly?: boolean | undefined;
}

const MAX_CONDITIONS = 20;
/** Parentheses and NOTs inside one another. */
const MAX_LOGIC_DEPTH = 10;
/**
 * Condition names the logic may use, repeats counted. With the depth above, this keeps every
 * query within D1's limits whatever the logic: 100 bound arguments (a use binds at most two)
 * and an expression tree at most 100 deep (each use adds at most one level).
 */
export const MAX_LOGIC_TERMS = 40;

class QueryErrors {
  readonly issues: FieldIssue[] = [];
  add(path: string, message: string) {
    this.issues.push({ path, message });
  }
}

function fieldOf(view: QueryableView, name: string, path: string, errors: QueryErrors) {
  const field = view.fields.find((candidate) => candidate.name === name);
  if (!field) errors.add(path, `${view.id} has no field ${name}.`);
  return field;
}

/** A value as the field's type needs it; undefined (with an issue) if it is not one. */
function typedValue(field: ViewField, raw: unknown, path: string, errors: QueryErrors) {
  switch (field.type) {
    case 'number': {
      const value = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
      if (typeof value === 'number' && Number.isFinite(value)) return value;
      break;
    }
    case 'boolean':
      if (typeof raw === 'boolean') return raw;
      if (raw === 'true' || raw === 'false') return raw === 'true';
      break;
    default:
      if (typeof raw === 'string' && raw.length <= 1000) return raw;
      if (typeof raw === 'number' || typeof raw === 'boolean') return String(raw);
  }
  errors.add(path, `Not a ${field.type} value for ${field.name}.`);
  return undefined;
}

const TEXT_ONLY: ReadonlySet<Comparator> = new Set([
  'CONTAINS',
  'NOT_CONTAINS',
  'STARTS_WITH',
  'ENDS_WITH',
]);

function conditionOf(
  view: QueryableView,
  name: string,
  raw: NonNullable<QueryRequest['filter']>['filterConditions'][string],
  errors: QueryErrors,
): Condition | undefined {
  const path = `.query.filter.filterConditions.${name}`;
  const field = fieldOf(view, raw.lhs.field, `${path}.lhs.field`, errors);
  const comparator = raw.comparator.toUpperCase() as Comparator;
  if (!COMPARATORS.includes(comparator)) {
    errors.add(
      `${path}.comparator`,
      `Unknown comparator ${raw.comparator}; one of ${COMPARATORS.join(', ')}.`,
    );
    return undefined;
  }
  if (!field) return undefined;
  if (TEXT_ONLY.has(comparator) && field.type !== 'text') {
    errors.add(`${path}.comparator`, `${comparator} applies to text fields only.`);
    return undefined;
  }
  const ignoreCase = raw.ignoreCase === true || TEXT_ONLY.has(comparator);
  if (comparator === 'IS_NULL' || comparator === 'IS_NOT_NULL') {
    return { field, comparator, value: undefined, ignoreCase };
  }
  if (comparator === 'IN' || comparator === 'NOT_IN') {
    const list = raw.rhs?.values ?? raw.rhs?.value;
    if (!Array.isArray(list) || list.length === 0 || list.length > 100) {
      errors.add(`${path}.rhs.values`, `${comparator} needs a list of 1 to 100 values.`);
      return undefined;
    }
    const values = list.map((item, index) =>
      typedValue(field, item, `${path}.rhs.values.${index}`, errors),
    );
    return values.includes(undefined)
      ? undefined
      : { field, comparator, value: values as Value[], ignoreCase };
  }
  if (raw.rhs?.value === undefined) {
    errors.add(`${path}.rhs.value`, `${comparator} needs a value.`);
    return undefined;
  }
  const value = typedValue(field, raw.rhs.value, `${path}.rhs.value`, errors);
  return value === undefined ? undefined : { field, comparator, value, ignoreCase };
}

/**
 * Pega's filter logic (`F1 AND (F2 OR NOT F3)`): AND binds tighter than OR, names are the
 * conditions' keys. Without logic, every condition must hold.
 */
function parseLogic(
  logic: string,
  conditions: Map<string, Condition>,
  errors: QueryErrors,
): Filter | null {
  const tokens = logic.match(/\(|\)|[A-Za-z][A-Za-z0-9_]*|\S/g) ?? [];
  let at = 0;
  let terms = 0;
  const fail = (message: string): null => {
    errors.add('.query.filter.logic', message);
    return null;
  };
  const expression = (depth: number): Filter | null => {
    if (depth > MAX_LOGIC_DEPTH) return fail('The logic nests too deep.');
    const terms: Filter[] = [];
    for (;;) {
      const term = conjunction(depth);
      if (!term) return null;
      terms.push(term);
      if (tokens[at]?.toUpperCase() !== 'OR') break;
      at += 1;
    }
    return terms.length === 1 ? (terms[0] as Filter) : { op: 'OR', of: terms };
  };
  const conjunction = (depth: number): Filter | null => {
    const factors: Filter[] = [];
    for (;;) {
      const factor = operand(depth);
      if (!factor) return null;
      factors.push(factor);
      if (tokens[at]?.toUpperCase() !== 'AND') break;
      at += 1;
    }
    return factors.length === 1 ? (factors[0] as Filter) : { op: 'AND', of: factors };
  };
  const operand = (depth: number): Filter | null => {
    if (depth > MAX_LOGIC_DEPTH) return fail('The logic nests too deep.');
    const token = tokens[at];
    at += 1;
    if (token === undefined) return fail('The logic ends too soon.');
    if (token.toUpperCase() === 'NOT') {
      const inner = operand(depth + 1);
      return inner && { op: 'NOT', of: inner };
    }
    if (token === '(') {
      const inner = expression(depth + 1);
      if (!inner) return null;
      if (tokens[at] !== ')') return fail('A "(" is not closed.');
      at += 1;
      return inner;
    }
    const condition = conditions.get(token);
    if (!condition) return fail(`The logic names ${token}, which is no condition.`);
    terms += 1;
    if (terms > MAX_LOGIC_TERMS) {
      return fail(`The logic uses conditions more than ${MAX_LOGIC_TERMS} times.`);
    }
    return { op: 'IS', condition };
  };
  const filter = expression(0);
  if (filter && at < tokens.length) return fail(`Unexpected ${tokens[at]} in the logic.`);
  return filter;
}

/** A client's query against a view: every name allowlisted, every value typed; else 400. */
export function parseQuery(view: QueryableView, request: QueryRequest | undefined): Query {
  const errors = new QueryErrors();
  const select = (request?.select ?? []).flatMap(({ field }, index) => {
    const found = fieldOf(view, field, `.query.select.${index}.field`, errors);
    return found ? [found] : [];
  });
  const sort = (request?.sortBy ?? []).flatMap(({ field, type }, index) => {
    const found = fieldOf(view, field, `.query.sortBy.${index}.field`, errors);
    return found ? [{ field: found, descending: type === 'DESC' }] : [];
  });
  const distinct = request?.distinctResultsOnly === true && select.length > 0;
  let filter: Filter | null = null;
  const raw = request?.filter;
  if (raw) {
    const entries = Object.entries(raw.filterConditions);
    if (entries.length === 0 || entries.length > MAX_CONDITIONS) {
      errors.add('.query.filter.filterConditions', `Give 1 to ${MAX_CONDITIONS} conditions.`);
    }
    const conditions = new Map<string, Condition>();
    for (const [name, condition] of entries) {
      const parsed = conditionOf(view, name, condition, errors);
      if (parsed) conditions.set(name, parsed);
    }
    if (errors.issues.length === 0) {
      filter = raw.logic
        ? parseLogic(raw.logic, conditions, errors)
        : {
            op: 'AND',
            of: [...conditions.values()].map((condition) => ({ op: 'IS', condition })),
          };
    }
  }
  if (errors.issues.length > 0) throw invalidRequest('The query is invalid.', errors.issues);
  return {
    select: select.length > 0 ? select : view.fields,
    distinct,
    filter,
    sort,
  };
}
