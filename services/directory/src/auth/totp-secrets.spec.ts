import { randomBytes } from 'node:crypto';
import { SecretBox, totpSecretContext } from '@am/service-kit';
import type { DirectoryConfig } from '../config/directory.config';
import type { CredentialsRepository } from './credentials.repository';
import { TotpSecrets } from './totp-secrets';

type Row = { id: string; totpSecret: string | null; pendingTotpSecret: string | null };

/** The repository's two re-sealing queries over rows in memory, with the same conditions. */
function fakeStore(rows: Row[]) {
  return {
    rows,
    totpSecretsNotUnder: async (keyId: string, limit: number) =>
      rows
        .filter((r) => [r.totpSecret, r.pendingTotpSecret].some((v) => v !== null && !v.startsWith(`v1.${keyId}.`)))
        .slice(0, limit)
        .map((r) => ({ ...r })),
    replaceTotpSecrets: async (was: Row, now: Omit<Row, 'id'>) => {
      const row = rows.find((r) => r.id === was.id && r.totpSecret === was.totpSecret && r.pendingTotpSecret === was.pendingTotpSecret);
      if (!row) return false;
      Object.assign(row, now);
      return true;
    },
  };
}

const key = () => randomBytes(32).toString('base64');
const configWith = (keys: string[]) => ({ SECRETS_ENCRYPTION_KEYS: keys }) as unknown as DirectoryConfig;

describe('TotpSecrets', () => {
  it('seals secrets left in the clear by an earlier version, pending ones too, and opens them afterwards', async () => {
    const store = fakeStore([
      { id: 'u1', totpSecret: 'JBSWY3DPEHPK3PXP', pendingTotpSecret: null },
      { id: 'u2', totpSecret: null, pendingTotpSecret: 'KRSXG5CTMVRXEZLU' },
      { id: 'u3', totpSecret: null, pendingTotpSecret: null },
    ]);
    const secrets = new TotpSecrets(configWith([key()]), store as unknown as CredentialsRepository);
    expect(await secrets.reseal(1)).toBe(2);
    expect(store.rows.every((r) => [r.totpSecret, r.pendingTotpSecret].every((v) => v === null || SecretBox.isSealed(v)))).toBe(true);
    expect(secrets.open('u1', store.rows[0].totpSecret!)).toBe('JBSWY3DPEHPK3PXP');
    expect(secrets.open('u2', store.rows[1].pendingTotpSecret!)).toBe('KRSXG5CTMVRXEZLU');
    // Bound to its user: u1's value does not open as u2's.
    expect(() => secrets.open('u2', store.rows[0].totpSecret!)).toThrow();
    expect(await secrets.reseal()).toBe(0);
  });

  it('re-seals values under a retired key with the current one after rotation', async () => {
    const [oldKey, newKey] = [key(), key()];
    const store = fakeStore([{ id: 'u1', totpSecret: new SecretBox([oldKey]).seal('JBSWY3DPEHPK3PXP', totpSecretContext('u1')), pendingTotpSecret: null }]);
    const rotated = new TotpSecrets(configWith([newKey, oldKey]), store as unknown as CredentialsRepository);
    expect(await rotated.reseal()).toBe(1);
    expect(SecretBox.keyIdOf(store.rows[0].totpSecret!)).toBe(new SecretBox([newKey]).currentKeyId);
    // The old key can go now: the new one alone opens it.
    expect(new TotpSecrets(configWith([newKey]), store as unknown as CredentialsRepository).open('u1', store.rows[0].totpSecret!)).toBe('JBSWY3DPEHPK3PXP');
  });
});
