import { adminPaths } from './admin/openapi';
import { apiDocument } from './api/openapi';
import { AUDIENCES } from './audiences';
import { attachmentPaths } from './case-api/openapi-attachments';
import { bearer, clientAuth, jsonContent } from './case-api/openapi-parts';
import { dxPaths } from './dx/openapi';
import type { Audience, Caller, Operation } from './http/operations';

/**
 * The OpenAPI document for an issuer, generated from the tables of operations (audiences.ts):
 * every operation the Worker serves is in it, under its canonical path, with its operationId
 * (`<audience>.<id>`), the security its caller needs and the request body its handler parses;
 * what each answers (responses, parameters) is described beside its audience (api/openapi.ts,
 * dx/openapi.ts, admin/openapi.ts, case-api/openapi-attachments.ts). An operation without a
 * description, or a description without an operation, stops the build.
 *
 * Not used by the Worker at run time: `npm run openapi` writes the document (for the issuer
 * placeholder) to assets/openapi.json, which the Worker serves, so the JSON Schema conversion
 * stays out of the deploy bundle; a test keeps the two equal.
 */

type Description = Record<string, unknown> & { security?: unknown };

/** The security requirement of a caller; a data view's scope depends on the view named. */
function securityOf(caller: Caller, description: Description): unknown {
  if (caller === 'data view') return description.security;
  if (caller === 'client') return clientAuth;
  if (caller === 'admin') return [{ adminToken: [] }];
  if (caller === 'anyone') return [];
  return bearer(caller.scope);
}

function requestBodyOf({ body }: Operation) {
  return body && { required: body.required, content: jsonContent(body.schema, 'input') };
}

/** The descriptions of every operation, by canonical path and method. */
function descriptions(frame: { paths: Record<string, unknown> }) {
  return {
    ...frame.paths,
    ...dxPaths(),
    ...attachmentPaths('/api/application/v2'),
    ...adminPaths(),
  } as Record<string, Record<string, Description>>;
}

function operationObject(audience: Audience, operation: Operation, description: Description) {
  const security = securityOf(operation.caller, description);
  if (
    description.security !== undefined &&
    JSON.stringify(description.security) !== JSON.stringify(security)
  ) {
    throw new Error(`OpenAPI: ${audience.name}.${operation.id} is described with another security`);
  }
  const requestBody = requestBodyOf(operation);
  return {
    operationId: `${audience.name}.${operation.id}`,
    ...description,
    security,
    ...(requestBody && { requestBody }),
  };
}

export function openApiDocument(issuer: string) {
  const frame = apiDocument(issuer);
  const described = descriptions(frame);
  const unused = new Set(
    Object.entries(described).flatMap(([path, item]) =>
      Object.keys(item).map((method) => `${method} ${path}`),
    ),
  );
  const paths: Record<string, Record<string, unknown>> = {};
  for (const audience of AUDIENCES) {
    for (const operation of audience.operations) {
      const path = `${audience.bases[0]}${operation.path}`;
      const description = described[path]?.[operation.method];
      if (!description) {
        throw new Error(
          `OpenAPI: ${operation.method.toUpperCase()} ${path} (${audience.name}.${operation.id}) has no description`,
        );
      }
      unused.delete(`${operation.method} ${path}`);
      paths[path] = {
        ...paths[path],
        [operation.method]: operationObject(audience, operation, description),
      };
    }
  }
  if (unused.size > 0) {
    throw new Error(`OpenAPI: described, but no operation serves: ${[...unused].join(', ')}`);
  }
  const components = frame.components as Record<string, Record<string, unknown>>;
  return {
    ...frame,
    components: {
      ...components,
      securitySchemes: {
        ...components.securitySchemes,
        adminToken: {
          type: 'http',
          scheme: 'bearer',
          description: 'ADMIN_TOKEN, or a Cloudflare Access token where Access is configured',
        },
      },
    },
    paths,
  };
}
