import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { resealAll, SecretBox, totpSecretContext } from '@am/service-kit';
import { DIRECTORY_CONFIG, type DirectoryConfig } from '../config/directory.config';
import { CredentialsRepository } from './credentials.repository';

/**
 * TOTP secrets at rest (issue 14): encrypted with a key kept outside the database, bound to the
 * user's id, so neither a database dump nor a row copied to another account yields a usable
 * second factor. At boot, rows still in the clear (from before this change) and rows sealed with a
 * retired key are sealed again with the current key.
 */
@Injectable()
export class TotpSecrets implements OnApplicationBootstrap {
  private readonly logger = new Logger(TotpSecrets.name);
  private readonly box: SecretBox;

  constructor(
    @Inject(DIRECTORY_CONFIG) config: DirectoryConfig,
    private readonly store: CredentialsRepository,
  ) {
    this.box = new SecretBox(config.SECRETS_ENCRYPTION_KEYS);
  }

  seal(userId: string, secret: string): string {
    return this.box.seal(secret, totpSecretContext(userId));
  }

  open(userId: string, sealed: string): string {
    return this.box.open(sealed, totpSecretContext(userId));
  }

  async onApplicationBootstrap(): Promise<void> {
    const resealed = await this.reseal();
    if (resealed) this.logger.log(`Encrypted ${resealed} TOTP secret(s) with the current key`);
  }

  /** Seals what is in the clear or under a retired key; returns how many values changed. */
  async reseal(batch = 500): Promise<number> {
    return resealAll(
      () => this.store.totpSecretsNotUnder(this.box.currentKeyId, batch),
      (row) => {
        const next = (value: string | null) => (value === null ? null : this.seal(row.id, SecretBox.isSealed(value) ? this.open(row.id, value) : value));
        return this.store.replaceTotpSecrets(row, { totpSecret: next(row.totpSecret), pendingTotpSecret: next(row.pendingTotpSecret) });
      },
    );
  }
}
