import { Validator } from '@seriousme/openapi-schema-validator';
import { describe, expect, it } from 'vitest';
import served from '../../assets/openapi.json';
import { openApiDocument } from '../../src/openapi';

/** The value at `keys` in a JSON document, or undefined. */
const at = (value: unknown, ...keys: string[]): unknown =>
  keys.reduce<unknown>(
    (node, key) =>
      node !== null && typeof node === 'object'
        ? (node as Record<string, unknown>)[key]
        : undefined,
    value,
  );

describe('OpenAPI document', () => {
  const document = openApiDocument('https://api.example.com');

  it('is what the Worker serves: assets/openapi.json matches the validating schemas', () => {
    const forIssuer = JSON.parse(
      JSON.stringify(served).replaceAll('{{ISSUER}}', 'https://api.example.com'),
    );
    // If this fails, a schema changed: run `npm run openapi` and commit assets/openapi.json.
    expect(forIssuer).toEqual(JSON.parse(JSON.stringify(document)));
  });

  it('is a valid OpenAPI 3.1 document', async () => {
    const validator = new Validator();
    const result = await validator.validate(structuredClone(document));
    expect(result.errors).toBeUndefined();
    expect(result.valid).toBe(true);
    expect(validator.version).toBe('3.1');
  });

  it('declares each error body once and resolves every $ref to a component', () => {
    const refs = [...JSON.stringify(document).matchAll(/"\$ref":"#\/components\/(\w+)\/(\w+)"/g)];
    expect(refs.length).toBeGreaterThan(30);
    const components = document.components as Record<string, Record<string, unknown>>;
    for (const [ref, kind = '', name = ''] of refs)
      expect(components[kind]?.[name], ref).toBeDefined();
    const unauthorized = at(document, 'paths', '/api/v1/cases', 'post', 'responses', '401');
    expect(unauthorized).toEqual({ $ref: '#/components/responses/InvalidToken' });
    expect(
      at(
        document,
        'components',
        'responses',
        'InvalidToken',
        'content',
        'application/json',
        'schema',
      ),
    ).toEqual({ $ref: '#/components/schemas/PegaErrors' });
  });

  it('covers the OAuth and case endpoints with an oauth2 client credentials scheme', () => {
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining([
        '/oauth2/v1/token',
        '/oauth2/v1/revoke',
        '/oauth2/v1/token/introspect',
        '/api/v1/casetypes',
        '/api/v1/casetypes/{ID}',
        '/api/v1/cases',
        '/api/v1/cases/{ID}',
        '/api/v1/cases/{ID}/views/{viewID}',
        '/api/v1/assignments',
        '/api/v1/assignments/next',
        '/api/v1/assignments/{ID}',
        '/api/v1/assignments/{ID}/actions/{actionID}',
      ]),
    );
    expect(
      at(document, 'components', 'securitySchemes', 'oauth2', 'flows', 'clientCredentials'),
    ).toEqual({
      tokenUrl: 'https://api.example.com/oauth2/v1/token',
      scopes: expect.objectContaining({ 'cases:create': expect.any(String) }),
    });
  });

  it('describes request bodies with the schemas that validate them', () => {
    const create = at(
      document,
      'paths',
      '/api/v1/cases',
      'post',
      'requestBody',
      'content',
      'application/json',
      'schema',
    );
    expect(create).toMatchObject({
      type: 'object',
      additionalProperties: false,
      properties: { caseTypeID: { type: 'string' }, processID: { type: 'string' } },
    });
    const token = at(
      document,
      'paths',
      '/oauth2/v1/token',
      'post',
      'requestBody',
      'content',
      'application/x-www-form-urlencoded',
      'schema',
    );
    expect(token).toMatchObject({
      required: ['grant_type'],
      properties: { grant_type: { type: 'string' } },
    });
  });
});
