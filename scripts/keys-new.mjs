// `npm run keys:new`: prints a new private signing JWK (ES256, with a kid) as one JSON line.
// Roll it in as README.md describes: publish, then sign, then retire.
import { newSigningJwk } from './signing-key.mjs';

console.log(JSON.stringify(newSigningJwk()));
