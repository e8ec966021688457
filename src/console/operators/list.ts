import { listOperators } from '../../domain/operators';
import type { AppContext } from '../../http/context';

/** Every operator, for the pickers (admins define tens, not hundreds). */
export const allOperators = async (c: AppContext) =>
  (await listOperators(c.env.DB, 500, undefined)).items;
