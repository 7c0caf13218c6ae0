import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * The keys a stack runs with (issue 14): the session-token key, the gateway's caller-proof key pair
 * and the key that encrypts TOTP secrets. Made at random for every install (npm start keeps them in
 * .data/) and every test run, so no two installs share keys and none is written in the repository.
 */
export interface StackSecrets {
  AUTH_TOKEN_SECRET: string;
  CALLER_PROOF_SIGNING_KEY: string;
  CALLER_PROOF_PUBLIC_KEYS: string;
  SECRETS_ENCRYPTION_KEYS: string;
}

export function generateStackSecrets(): StackSecrets {
  const { privateKey } = generateKeyPairSync('ed25519');
  const kid = `gateway-${new Date().toISOString().slice(0, 10)}-${randomBytes(4).toString('hex')}`;
  const { kty, crv, x, d } = privateKey.export({ format: 'jwk' });
  return {
    AUTH_TOKEN_SECRET: randomBytes(48).toString('base64url'),
    CALLER_PROOF_SIGNING_KEY: JSON.stringify({ kty, crv, x, d, kid }),
    CALLER_PROOF_PUBLIC_KEYS: JSON.stringify({ keys: [{ kty, crv, x, kid }] }),
    SECRETS_ENCRYPTION_KEYS: randomBytes(32).toString('base64'),
  };
}

/** The install's secrets, kept in `file` (readable by its owner only); made on first use. */
export function ensureStackSecrets(file: string): StackSecrets {
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as StackSecrets;
  mkdirSync(dirname(file), { recursive: true });
  const secrets = generateStackSecrets();
  writeFileSync(file, `${JSON.stringify(secrets, null, 2)}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return secrets;
}
