import type { AppContext } from '../http/context';
import type { Caller } from '../http/operations';
import { authorize, requireToken } from './bearer';
import { dataViewToken } from './data-views';

/** What guards an operation of either case API: the bearer check of its scope. */
export const caseApiGuard = (caller: Caller) =>
  caller === 'data view'
    ? dataViewToken
    : typeof caller === 'object'
      ? requireToken(caller.scope)
      : undefined;

/** A refusal of a case API request's input, made only once its token holds (nothing leaks). */
export async function caseApiRefusal(c: AppContext, error: unknown): Promise<never> {
  await authorize(c);
  throw error;
}
