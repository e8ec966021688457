import { caseResolved, conflict } from '../errors';
import { deleteObjects } from '../store/attachments';
import { deleteCaseInCreateStage } from '../store/case-writes';
import { caseChangeHolds } from '../store/guards';
import { caseActor, type FoundCase, isResolved } from './cases';
import type { Principal } from './model';
import { lifeCycleOf, stagesOf } from './stages';

/**
 * `DELETE /cases/{ID}` (DX case model §3): a case is withdrawn only while it is in its create
 * stage, as Pega's engine does when a new case is cancelled; after that, 409. Its attachment
 * records go with it (their bytes after), its history keeps a `case.delete` row, and a case
 * that is another's parent stays (409): its children would lose it.
 */
export async function deleteCase(
  db: D1Database,
  bucket: R2Bucket,
  principal: Principal,
  { item, caseType }: FoundCase,
): Promise<void> {
  if (isResolved(item)) throw caseResolved(item.id);
  const [create] = stagesOf(caseType, item);
  if (create?.visited_status !== 'active') {
    throw conflict(`Case ${item.id} has left its create stage: it can no longer be deleted.`);
  }
  const { deleted, attachments } = await deleteCaseInCreateStage(
    db,
    item.id,
    lifeCycleOf(caseType)[0]?.indexes ?? [],
    { actor: caseActor(principal), action: 'case.delete', detail: { caseType: item.caseTypeId } },
    caseChangeHolds(principal, item),
  );
  if (!deleted) {
    throw conflict(
      `Case ${item.id} could not be deleted: it moved on, has child cases, or is no longer yours to change.`,
    );
  }
  if (attachments.length > 0) await deleteObjects(bucket, attachments);
}
