// `npm run assertion -- --client-id ID --key key.json [--url http://localhost:8787]`: prints a
// private_key_jwt client assertion (RFC 7523) for a token request, signed with the private
// JWK in key.json (with its alg and kid). For tools that cannot sign one themselves, such as
// Postman: paste it as client_assertion, with client_assertion_type
// urn:ietf:params:oauth:client-assertion-type:jwt-bearer. Valid for 2 minutes, once.
import { readFileSync } from 'node:fs';
import { importJWK, SignJWT } from 'jose';
import { optionValue } from './args.mjs';

const args = process.argv.slice(2);
const clientId = optionValue(args, '--client-id');
const keyFile = optionValue(args, '--key');
const base = (optionValue(args, '--url') ?? 'http://localhost:8787').replace(/\/$/, '');
if (!clientId || !keyFile) {
  console.error('usage: npm run assertion -- --client-id ID --key private-key.json [--url URL]');
  process.exit(2);
}
const jwk = JSON.parse(readFileSync(keyFile, 'utf8'));
if (!jwk.alg || !jwk.d) {
  console.error('edgecase: the key file must hold a private JWK with its alg (and kid)');
  process.exit(2);
}
const now = Math.floor(Date.now() / 1000);
const assertion = await new SignJWT({
  iss: clientId,
  sub: clientId,
  aud: `${base}/oauth2/v1/token`,
  jti: crypto.randomUUID(),
  iat: now,
  exp: now + 120,
})
  .setProtectedHeader({ alg: jwk.alg, ...(jwk.kid && { kid: jwk.kid }) })
  .sign(await importJWK(jwk, jwk.alg));
console.log(assertion);
