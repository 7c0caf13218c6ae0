import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';

/**
 * Authenticated encryption of secrets that must be recovered (TOTP secrets): AES-256-GCM with a
 * key kept outside the database (issue 14, PRODUCT.md section 8). Each sealed value names its key
 * by id, so keys rotate: seal with the first key, open with any listed one, re-seal on rotation.
 * The context (e.g. the row's id) is bound in as associated data: a value copied to another row
 * does not open there.
 */
const VERSION = 'v1';
const SEALED = /^v1\.([0-9a-f]{8})\.([A-Za-z0-9_-]{16})\.([A-Za-z0-9_-]{22,})$/;

/** Config shape: one or more base64 keys of 32 bytes, comma-separated, the current one first. */
export const secretsEncryptionKeys = () =>
  z
    .string({ error: 'is required: base64 keys of 32 bytes, comma-separated, current first (npm start generates one in .data/)' })
    .transform((v) => v.split(',').map((k) => k.trim()).filter(Boolean))
    .pipe(
      z
        .array(z.string().refine((k) => Buffer.from(k, 'base64').length === 32, 'each key must be 32 bytes in base64'))
        .min(1, 'must hold at least one key'),
    );

interface Key {
  id: string;
  bytes: Buffer;
}

export class SecretBox {
  private readonly keys: Key[];

  constructor(base64Keys: string[]) {
    if (base64Keys.length === 0) throw new Error('SecretBox needs a key');
    this.keys = base64Keys.map((k) => {
      const bytes = Buffer.from(k, 'base64');
      return { id: createHash('sha256').update(bytes).digest('hex').slice(0, 8), bytes };
    });
  }

  /** The id of the key new values are sealed with. */
  get currentKeyId(): string {
    return this.keys[0].id;
  }

  static isSealed(value: string): boolean {
    return SEALED.test(value);
  }

  /** The id of the key a sealed value was sealed with, or null for a value that is not sealed. */
  static keyIdOf(value: string): string | null {
    return SEALED.exec(value)?.[1] ?? null;
  }

  seal(plaintext: string, context: string): string {
    const key = this.keys[0];
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key.bytes, iv);
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
    return [VERSION, key.id, iv.toString('base64url'), body.toString('base64url')].join('.');
  }

  /** The plaintext; throws when the value is not sealed, its key is not configured, or it was tampered with. */
  open(sealed: string, context: string): string {
    const m = SEALED.exec(sealed);
    if (!m) throw new Error('not a sealed value');
    const key = this.keys.find((k) => k.id === m[1]);
    if (!key) throw new Error(`sealed with key ${m[1]}, which is not configured (SECRETS_ENCRYPTION_KEYS)`);
    const body = Buffer.from(m[3], 'base64url');
    const decipher = createDecipheriv('aes-256-gcm', key.bytes, Buffer.from(m[2], 'base64url'));
    decipher.setAAD(Buffer.from(context, 'utf8'));
    decipher.setAuthTag(body.subarray(body.length - 16));
    return Buffer.concat([decipher.update(body.subarray(0, body.length - 16)), decipher.final()]).toString('utf8');
  }
}

/** What a TOTP secret is bound to when sealed: its user. One definition for the directory and its seeders. */
export const totpSecretContext = (userId: string) => `users.totp_secret:${userId}`;

/** Seals a TOTP secret as the directory stores it (for the demo seed, the bench and the tests' factories). */
export function sealTotpSecret(keys: string[], userId: string, secret: string): string {
  return new SecretBox(keys).seal(secret, totpSecretContext(userId));
}

/**
 * Seals again, batch after batch, what a key rotation left under a retired key (SECRETS_ENCRYPTION_KEYS,
 * new key first): `next` reads the rows not yet under the current key, `reseal` replaces one and says
 * whether it did (false when the row changed meanwhile: it is under the current key then). Returns
 * how many rows changed. TOTP secrets, calendar feed tokens and webhook secrets share it.
 */
export async function resealAll<R>(next: () => Promise<R[]>, reseal: (row: R) => Promise<boolean>): Promise<number> {
  let changed = 0;
  for (;;) {
    const rows = await next();
    if (rows.length === 0) return changed;
    for (const row of rows) if (await reseal(row)) changed++;
  }
}
