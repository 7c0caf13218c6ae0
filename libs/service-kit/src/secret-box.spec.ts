import { randomBytes } from 'node:crypto';
import { SecretBox, secretsEncryptionKeys } from './secret-box';

const key = () => randomBytes(32).toString('base64');

describe('SecretBox', () => {
  it('seals so that only the same key and context open it', () => {
    const k = key();
    const box = new SecretBox([k]);
    const sealed = box.seal('JBSWY3DPEHPK3PXP', 'user-1');
    expect(sealed).not.toContain('JBSWY3DPEHPK3PXP');
    expect(SecretBox.isSealed(sealed)).toBe(true);
    expect(box.open(sealed, 'user-1')).toBe('JBSWY3DPEHPK3PXP');
    expect(() => box.open(sealed, 'user-2')).toThrow();
    expect(() => new SecretBox([key()]).open(sealed, 'user-1')).toThrow(/not configured/);
    expect(box.seal('JBSWY3DPEHPK3PXP', 'user-1')).not.toBe(sealed);
  });

  it('opens values sealed with a previous key after rotation, and seals with the new one', () => {
    const [oldKey, newKey] = [key(), key()];
    const sealedOld = new SecretBox([oldKey]).seal('secret', 'ctx');
    const rotated = new SecretBox([newKey, oldKey]);
    expect(rotated.open(sealedOld, 'ctx')).toBe('secret');
    expect(SecretBox.keyIdOf(rotated.seal('secret', 'ctx'))).toBe(rotated.currentKeyId);
    expect(SecretBox.keyIdOf(sealedOld)).not.toBe(rotated.currentKeyId);
  });

  it('refuses a tampered value', () => {
    const box = new SecretBox([key()]);
    const sealed = box.seal('secret', 'ctx');
    // One bit of the ciphertext flipped (a changed last base64 character may only touch padding bits).
    const parts = sealed.split('.');
    const body = Buffer.from(parts[3], 'base64url');
    body[0] ^= 1;
    expect(() => box.open([...parts.slice(0, 3), body.toString('base64url')].join('.'), 'ctx')).toThrow();
  });

  it('validates its configuration', () => {
    expect(secretsEncryptionKeys().safeParse('short').success).toBe(false);
    expect(secretsEncryptionKeys().safeParse(`${key()}, ${key()}`).data).toHaveLength(2);
  });
});
