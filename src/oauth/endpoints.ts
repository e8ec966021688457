/** Absolute URLs of the OAuth endpoints under an issuer, as registration and RFC 8414 give them. */
export function oauthEndpoints(issuer: string) {
  return {
    token: `${issuer}/oauth2/v1/token`,
    revoke: `${issuer}/oauth2/v1/revoke`,
    introspect: `${issuer}/oauth2/v1/token/introspect`,
    jwks: `${issuer}/oauth2/v1/token/keys`,
    metadata: `${issuer}/.well-known/oauth-authorization-server`,
  };
}
