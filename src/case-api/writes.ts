import { type Writer, writerOf } from '../domain/collaboration';
import type { Principal, Scope } from '../domain/model';
import { type Reads, runReads } from '../domain/reads';
import type { AppContext } from '../http/context';
import { authorize, writingToken } from './bearer';

/** A write planned for its writer, with how to take it back if the token is refused after it. */
export type PlannedWrite<T> = Reads<T> & { undo?: (found: T) => Promise<void> };

/**
 * A write whose SQL is guarded by the writer (domain/collaboration.ts `caseWriteGuard`): planned
 * from the token and run in the batch that authorizes the request, one level; for a DPoP-bound
 * token, or one lacking `scope` (which authorize refuses), after the check, from the principal.
 */
export async function writeInCheck<T>(
  c: AppContext,
  scope: Scope,
  plan: (writer: Writer) => PlannedWrite<T>,
): Promise<{ principal: Principal; found: T }> {
  const token = writingToken(c);
  if (token?.scopes.includes(scope)) {
    const write = plan(token);
    return authorize(c, write, write.undo);
  }
  const { principal } = await authorize(c);
  return { principal, found: await runReads(c.env.DB, plan(writerOf(principal))) };
}
