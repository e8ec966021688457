/**
 * The failed-authentication throttle (per client ID and per source address), as the token
 * endpoint and the console's sign-in count it (store/auth-failures.ts).
 */
export {
  countFailure,
  failureCounts,
  failureCountsColumn,
  failureCountsFrom,
  type ThrottleKey,
} from '../store/auth-failures';
