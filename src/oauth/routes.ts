import type { Audience } from '../http/operations';
import { authorizationServerMetadata, jwksEndpoint, protectedResourceMetadata } from './discovery';
import { tokenEndpoint } from './token';
import { introspectionEndpoint, revocationEndpoint } from './token-management';

/** The authorization server, at /oauth2/v1 and at Pega's /prweb/PRRestService/oauth2/v1. */
export const oauthApi: Audience = {
  name: 'oauth',
  bases: ['/oauth2/v1', '/prweb/PRRestService/oauth2/v1'],
  // Each endpoint authenticates the client itself (oauth/client-auth.ts).
  guard: () => undefined,
  operations: [
    {
      id: 'token',
      method: 'post',
      path: '/token',
      caller: 'client',
      ownBody: 'application/x-www-form-urlencoded',
      handler: tokenEndpoint,
    },
    {
      id: 'revoke',
      method: 'post',
      path: '/revoke',
      caller: 'client',
      handler: revocationEndpoint,
    },
    {
      id: 'introspect',
      method: 'post',
      path: '/token/introspect',
      caller: 'client',
      ownBody: 'application/x-www-form-urlencoded',
      handler: introspectionEndpoint,
    },
    { id: 'jwks', method: 'get', path: '/token/keys', caller: 'anyone', handler: jwksEndpoint },
  ],
};

/** The discovery documents (RFC 8414, RFC 9728), at the origin's /.well-known. */
export const discovery: Audience = {
  name: 'discovery',
  bases: ['/.well-known'],
  guard: () => undefined,
  operations: [
    {
      id: 'authorizationServerMetadata',
      method: 'get',
      path: '/oauth-authorization-server',
      caller: 'anyone',
      handler: authorizationServerMetadata,
    },
    {
      id: 'protectedResourceMetadata',
      method: 'get',
      path: '/oauth-protected-resource',
      caller: 'anyone',
      handler: protectedResourceMetadata,
    },
    // RFC 9728 §3.1: the resource is <issuer>/api/v1, so its metadata lives under that path too.
    {
      id: 'apiResourceMetadata',
      method: 'get',
      path: '/oauth-protected-resource/api/v1',
      caller: 'anyone',
      handler: protectedResourceMetadata,
    },
  ],
};
