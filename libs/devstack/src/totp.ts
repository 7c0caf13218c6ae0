import { authenticator } from 'otplib';

/** The 6-digit code for a base32 TOTP secret, as an authenticator app shows it now (or at `at`, ms since epoch). */
export function totpCode(secret: string, at: number = Date.now()): string {
  return authenticator.clone({ epoch: at }).generate(secret);
}
