import { createHash, randomBytes } from 'node:crypto';
import { RECOVERY_CODE_COUNT } from '@am/contracts';

/** SHA-256 in hex: what is stored of a link's token or a recovery code (both random, so a fast hash is safe). */
export function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

/** A single-use link's token: 256 random bits, URL-safe (43 characters). */
export function newLinkToken(): string {
  return randomBytes(32).toString('base64url');
}

export const LINK_TOKEN_FORMAT = /^[A-Za-z0-9_-]{43}$/;

// Crockford's base32: no I, L, O or U, so a code read aloud or copied by hand is not misread.
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** One recovery code: 80 random bits as 16 characters, "XXXX-XXXX-XXXX-XXXX". */
export function newRecoveryCode(): string {
  let bits = BigInt(`0x${randomBytes(10).toString('hex')}`);
  let code = '';
  for (let i = 0; i < 16; i++) {
    code = ALPHABET[Number(bits & 31n)] + code;
    bits >>= 5n;
  }
  return code.match(/.{4}/g)!.join('-');
}

export function newRecoveryCodes(): string[] {
  return Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
}

/** A recovery code as typed (any case, spaces or hyphens, O for 0, I or L for 1), in its canonical form; null when it cannot be one. */
export function normalizeRecoveryCode(typed: string): string | null {
  const c = typed.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  return /^[0-9A-HJKMNP-TV-Z]{16}$/.test(c) ? c : null;
}

export function recoveryCodeHash(code: string): string {
  return sha256(code.replace(/-/g, ''));
}
