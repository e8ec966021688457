import { refuseAfterTokenCheck } from '../case-api/bearer';
import { dataViewRows } from '../case-api/data-views';
import { invalidRequest } from '../errors';
import type { AppContext } from '../http/context';

/**
 * `GET /api/v1/data/{ID}`: API v1's read of a data page, the same rows as DX API v2's data view
 * (the first 500), as `{pxObjClass, pxResults}`. The built-in views take no parameters.
 */
export async function dataPageHandler(c: AppContext) {
  const id = c.req.param('id') as string;
  const parameters = Object.keys(c.req.query());
  if (parameters.length > 0) {
    return refuseAfterTokenCheck(
      c,
      invalidRequest(
        `Data page ${id} takes no parameters.`,
        parameters.map((name) => ({ path: `.${name}`, message: 'Unknown parameter.' })),
      ),
    );
  }
  const { rows } = await dataViewRows(c, id, {});
  return c.json({ pxObjClass: 'Code-Pega-List', pxResults: rows });
}
