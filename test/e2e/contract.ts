import { checkAgainstOpenApi } from '../openapi-contract';

/**
 * The e2e tests' answers are held to the OpenAPI document too: every fetch from this process
 * to a server on this machine (wrangler dev, `npm start`), whoever makes it (a test, openid-client,
 * oauth4webapi, Pega's client libraries), is checked as the workerd tests check theirs.
 */
const realFetch = globalThis.fetch;
const LOCAL = new Set(['localhost', '127.0.0.1', '[::1]']);

globalThis.fetch = async function checkedFetch(input: RequestInfo | URL, init?: RequestInit) {
  const request = new Request(input, init);
  const response = await realFetch(request);
  const url = new URL(request.url);
  if (LOCAL.has(url.hostname)) await checkAgainstOpenApi(request.method, request.url, response);
  return response;
};
