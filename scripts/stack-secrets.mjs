#!/usr/bin/env node
// Prints a new set of the keys a production stack needs (issue 14), as .env lines for docker
// compose: `node scripts/stack-secrets.mjs >> .env` (after `npm install && npm run build`).
// AUTH_TOKEN_SECRET and CALLER_PROOF_SIGNING_KEY go to the gateway only; CALLER_PROOF_PUBLIC_KEYS
// to the directory and access-workflows; SECRETS_ENCRYPTION_KEYS to the directory. Keep .env private.
import { createRequire } from 'node:module';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { generateStackSecrets } = createRequire(import.meta.url)(join(root, 'libs', 'devstack', 'dist', 'index.js'));
for (const [name, value] of Object.entries(generateStackSecrets())) console.log(`${name}='${value}'`);
