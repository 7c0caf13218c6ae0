import { Injectable } from '@nestjs/common';
import { hash, verify } from '@node-rs/argon2';
import { authenticator } from 'otplib';

/**
 * Password hashing with Argon2id (memory-hard, OWASP's first choice) and RFC 6238 TOTP codes.
 * A code is accepted within one 30-second step either side, for clocks that drift.
 */
@Injectable()
export class Credentials {
  private readonly totp = authenticator.clone({ window: 1 });

  hashPassword(password: string): Promise<string> {
    return hash(password, { algorithm: 2, memoryCost: 19456, timeCost: 2, parallelism: 1 });
  }

  verifyPassword(passwordHash: string, password: string): Promise<boolean> {
    return verify(passwordHash, password).catch(() => false);
  }

  /** A new TOTP secret: 160 random bits in base32, as RFC 4226 recommends. */
  newTotpSecret(): string {
    return this.totp.generateSecret(20);
  }

  /** The otpauth:// URI an authenticator app reads (from its QR code): the account, the issuer, the secret. */
  otpauthUri(accountName: string, issuer: string, secret: string): string {
    return this.totp.keyuri(accountName, issuer, secret);
  }

  /** The 30-second time step a valid code belongs to, or null when the code is not valid now. */
  totpStep(secret: string, code: string, now = Date.now()): number | null {
    if (!/^\d{6}$/.test(code)) return null;
    const delta = this.totp.clone({ epoch: now }).checkDelta(code, secret);
    return delta === null ? null : Math.floor(now / 30_000) + delta;
  }
}
