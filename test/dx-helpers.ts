import { expect } from 'vitest';
import { type ApiCaller, call } from './helpers';

/** DX API v2 calls as Pega's clients make them, and what they answer (test helpers). */

export const V2 = '/prweb/api/application/v2';

/** A v2 call as Pega's clients send it: JSON Content-Type on every call, x-origin-channel. */
export function dx(
  caller: ApiCaller | undefined,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
) {
  return call(`${V2}${path}`, {
    method,
    headers: {
      ...(caller && { Authorization: `Bearer ${caller.token}` }),
      'Content-Type': 'application/json;charset=UTF-8',
      'x-origin-channel': 'Web',
      ...headers,
    },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
}

export interface CaseInfo {
  ID: string;
  stageID: string;
  name: string;
  stageLabel: string;
  status: string;
  content: Record<string, unknown>;
  assignments: { ID: string; actions: { ID: string }[]; canPerform: string }[];
  availableActions: { ID: string }[];
}

export interface UiResources {
  root: { config: { name: string } };
  resources: {
    views: Record<
      string,
      { config: { template: string }; children: { children: Component[] }[] }[]
    >;
    fields: Record<string, { type: string; label: string; datasource?: { records: unknown[] } }[]>;
  };
  components: string[];
}

export interface Component {
  type: string;
  config: { value: string; label: string; required?: boolean; readOnly?: boolean };
}

export interface DxAnswer {
  ID?: string;
  data: { caseInfo: CaseInfo };
  nextAssignmentInfo?: { ID: string; context: string; className: string };
  confirmationNote?: string;
  uiResources?: UiResources;
}

export interface DxError {
  errorClassification: string;
  localizedValue: string;
  errorDetails: {
    message: string;
    localizedValue: string;
    erroneousInputOutputFieldInPage?: string;
    erroneousInputOutputIdentifier?: string;
    Path?: string;
  }[];
}

export async function expectDxError(response: Response, status: number) {
  expect(response.status).toBe(status);
  expect(response.headers.get('Content-Type')).toMatch(/^application\/json/);
  const body = await response.json<DxError>();
  expect(body.errorClassification).toEqual(expect.any(String));
  // Pega's Constellation engine calls string methods on both fields of every item, unguarded.
  for (const item of body.errorDetails) {
    expect(typeof item.erroneousInputOutputFieldInPage).toBe('string');
    expect(typeof item.erroneousInputOutputIdentifier).toBe('string');
  }
  expect(body.localizedValue).not.toBe('');
  expect(body.errorDetails[0]?.message).toBeTruthy();
  expect(body).not.toHaveProperty('errors');
  return body;
}
