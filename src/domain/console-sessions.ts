/** Console sessions and the one-time reveal of a new secret, as the console keeps them in KV. */
export {
  deleteSession,
  getSession,
  putReveal,
  putSession,
  type SessionRecord,
  takeReveal,
} from '../store/console';
