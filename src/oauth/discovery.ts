import { required } from '../config';
import { CLIENT_KEY_ALGORITHMS } from '../crypto/client-keys';
import { DPOP_ALGORITHMS } from '../crypto/dpop';
import { SCOPES } from '../domain/model';
import { type AppContext, apiAudience, issuerOf, publicCache } from '../http/context';
import { oauthEndpoints } from './endpoints';

const CLIENT_AUTH_METHODS = ['client_secret_basic', 'client_secret_post', 'private_key_jwt'];
/** Only where MTLS=on says API Shield mTLS is in front: elsewhere no certificate is seen. */
const MTLS_AUTH_METHODS = ['tls_client_auth', 'self_signed_tls_client_auth'];

/** RFC 8414 §2. `issuer` is the origin this document is served from (or ISSUER). */
export function authorizationServerMetadata(c: AppContext): Response {
  const issuer = issuerOf(c);
  const endpoints = oauthEndpoints(issuer);
  const mtls = c.var.config.mtls.ok && c.var.config.mtls.value;
  const methods = mtls ? [...CLIENT_AUTH_METHODS, ...MTLS_AUTH_METHODS] : CLIENT_AUTH_METHODS;
  publicCache(c);
  return c.json({
    issuer,
    token_endpoint: endpoints.token,
    revocation_endpoint: endpoints.revoke,
    introspection_endpoint: endpoints.introspect,
    jwks_uri: endpoints.jwks,
    grant_types_supported: ['client_credentials'],
    response_types_supported: [],
    token_endpoint_auth_methods_supported: methods,
    revocation_endpoint_auth_methods_supported: methods,
    introspection_endpoint_auth_methods_supported: methods,
    token_endpoint_auth_signing_alg_values_supported: CLIENT_KEY_ALGORITHMS,
    revocation_endpoint_auth_signing_alg_values_supported: CLIENT_KEY_ALGORITHMS,
    introspection_endpoint_auth_signing_alg_values_supported: CLIENT_KEY_ALGORITHMS,
    scopes_supported: SCOPES,
    dpop_signing_alg_values_supported: DPOP_ALGORITHMS,
    tls_client_certificate_bound_access_tokens: mtls,
    service_documentation: `${issuer}/api/v1/docs`,
  });
}

/** RFC 9728 §3 metadata for the case API, the one protected resource. */
export function protectedResourceMetadata(c: AppContext): Response {
  const issuer = issuerOf(c);
  publicCache(c);
  return c.json({
    resource: apiAudience(issuer),
    authorization_servers: [issuer],
    scopes_supported: SCOPES,
    bearer_methods_supported: ['header'],
    dpop_signing_alg_values_supported: DPOP_ALGORITHMS,
    resource_name: 'edgecase case API',
    resource_documentation: `${issuer}/api/v1/docs`,
  });
}

/** Public halves of every configured signing key: rotation publishes before it signs. */
export function jwksEndpoint(c: AppContext): Response {
  const keys = required(c.var.config.signingKeys);
  publicCache(c);
  return c.json({ keys: keys.publicJwks });
}
