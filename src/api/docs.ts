import { type AppContext, issuerOf, publicCache } from '../http/context';

/** Where openapi.json (written by `npm run openapi`) has the issuer. */
export const ISSUER_PLACEHOLDER = '{{ISSUER}}';

/** The document as built, from the static assets (kept out of the bundle); once per isolate. */
let template: Promise<string> | undefined;
const served = new Map<string, string>();

async function documentFor(assets: Fetcher, issuer: string): Promise<string> {
  let body = served.get(issuer);
  if (body === undefined) {
    template ??= assets
      .fetch('https://assets.local/openapi.json')
      .then((response) => {
        if (!response.ok) throw new Error(`openapi.json: ${response.status}`);
        return response.text();
      })
      .catch((error) => {
        template = undefined;
        throw error;
      });
    body = (await template).replaceAll(ISSUER_PLACEHOLDER, issuer);
    served.set(issuer, body);
  }
  return body;
}

/** `GET /api/v1/docs`: the OpenAPI document, built ahead of time, for this issuer. */
export async function openApiHandler(c: AppContext) {
  const body = await documentFor(c.env.ASSETS, issuerOf(c));
  publicCache(c);
  return c.body(body, 200, { 'Content-Type': 'application/json; charset=UTF-8' });
}
