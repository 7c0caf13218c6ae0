import { authenticator } from 'otplib';

/** The current 6-digit code for a base32 TOTP secret, as an authenticator app shows it. */
export function totpCode(secret: string): string {
  return authenticator.generate(secret);
}
