import type { Condition, Filter } from '../domain/data-views';
import { type Sql, sql } from './sql-parts';

/**
 * What the kept values of queryable fields answer (#27): case types' (`case_values`, and their
 * trigrams in `case_text`, migration 0020) and data types' (`data_record_values`, migration
 * 0022). The conditions a filter requires, which of them an index of kept values may answer,
 * and the range of values each reads.
 */

/** The conditions every row must meet (the filter itself, or what an AND requires). */
export const required = (filter: Filter | null): Condition[] =>
  !filter
    ? []
    : filter.op === 'IS'
      ? [filter.condition]
      : filter.op === 'AND'
        ? filter.of.flatMap((part) => (part.op === 'IS' ? [part.condition] : []))
        : [];

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
export const byText = ({ comparator }: Condition) =>
  comparator === 'CONTAINS' || comparator === 'ENDS_WITH';

/**
 * The condition a queryable field's index may answer, on a case type field; null where none can.
 * Whether the field is queryable is the SQL's to say (queryableMatches), not this isolate's
 * cached definition, which may be older than the admin's change.
 */
export const queryableCondition = (filter: Filter | null): Condition | null =>
  required(filter).find(
    (condition) => 'content' in condition.field.source && indexable(condition),
  ) ?? null;

/**
 * The condition a data type's kept values may answer (a data type keeps no trigrams): a number
 * compared in any way, text equal to or starting with a value; null where none can.
 */
export const recordValueCondition = (filter: Filter | null): Condition | null =>
  required(filter).find(
    (condition) =>
      'content' in condition.field.source && indexable(condition) && !byText(condition),
  ) ?? null;

/** The range of kept values a condition reads (`v.value`), its arguments bound. */
export function valueRange({ comparator, value }: Condition): Sql {
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
