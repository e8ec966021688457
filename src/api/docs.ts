import { type AppContext, issuerOf, publicCache } from '../http/context';
import document from './openapi.json';

/** Where openapi.json (written by `npm run openapi`) has the issuer. */
export const ISSUER_PLACEHOLDER = '{{ISSUER}}';

const template = JSON.stringify(document);
const served = new Map<string, string>();

/** `GET /api/v1/docs`: the OpenAPI document, built ahead of time, for this issuer. */
export function openApiHandler(c: AppContext) {
  const issuer = issuerOf(c);
  let body = served.get(issuer);
  if (body === undefined) {
    body = template.replaceAll(ISSUER_PLACEHOLDER, issuer);
    served.set(issuer, body);
  }
  publicCache(c);
  return c.body(body, 200, { 'Content-Type': 'application/json; charset=UTF-8' });
}
