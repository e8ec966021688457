import { apiDocument } from './api/openapi';
import { attachmentPaths } from './case-api/openapi-attachments';
import { dxPaths } from './dx/openapi';

/**
 * The OpenAPI document for an issuer: OAuth and API v1 (api/openapi.ts), DX API v2
 * (dx/openapi.ts), the attachments of both. Not used by the Worker at run time: `npm run
 * openapi` writes it (for the issuer placeholder) to assets/openapi.json, which the Worker
 * serves, so the JSON Schema conversion stays out of the deploy bundle; a test keeps the two
 * equal.
 */
export function openApiDocument(issuer: string) {
  const document = apiDocument(issuer);
  return {
    ...document,
    paths: { ...document.paths, ...dxPaths(), ...attachmentPaths('/api/application/v2') },
  };
}
