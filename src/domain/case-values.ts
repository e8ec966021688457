import {
  fillBatch,
  pendingFills,
  queryableFieldsOf,
  startFillStatements,
} from '../store/case-values';
import type { FieldDefinition } from './model';

/**
 * Queryable fields (#27): when an admin changes which fields of a case type are queryable, the
 * type's kept values are rebuilt, in bounded batches (the first in the admin's request, the
 * rest by the cron); its data views scan their window meanwhile, as for any other field.
 */

/** Cases filled a batch. */
const BATCH = 500;

const queryableOf = (fields: FieldDefinition[]) =>
  fields
    .filter((field) => field.queryable)
    .map((field) => field.name)
    .sort();

/** The queryable fields a type has now, to compare after its definition changes. */
export const queryableBefore = (db: D1Database, typeId: string) =>
  queryableFieldsOf(db, typeId).then((names) => names.sort());

/** After a type's definition changed: rebuilds its values if its queryable fields changed. */
export async function refillIfChanged(
  db: D1Database,
  typeId: string,
  before: string[],
  fields: FieldDefinition[],
): Promise<void> {
  const after = queryableOf(fields);
  if (before.join('\n') === after.join('\n')) return;
  await db.batch(startFillStatements(db, typeId));
  await fillBatch(db, typeId, BATCH);
}

/** The cron's part: a bounded number of batches of the types still being filled. */
export async function fillQueryableValues(db: D1Database, batches = 40): Promise<number> {
  let done = 0;
  for (const typeId of await pendingFills(db)) {
    for (; done < batches; done += 1) {
      if (await fillBatch(db, typeId, BATCH)) break;
    }
    if (done >= batches) break;
  }
  return done;
}
