import type { Caller } from '../http/operations';
import { requireToken } from './bearer';
import { dataViewToken } from './data-views';

/** What guards an operation of either case API: the bearer check of its scope. */
export const caseApiGuard = (caller: Caller) =>
  caller === 'data view'
    ? dataViewToken
    : typeof caller === 'object'
      ? requireToken(caller.scope)
      : undefined;
