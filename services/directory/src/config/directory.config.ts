import { z } from 'zod';
import { accessReviewPolicyShape, callerProofPublicKeys, commonShape, env, loadConfig, programCalendarShape, secretsEncryptionKeys } from '@am/service-kit';

export const directoryConfigShape = {
  ...commonShape,
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgresql:// URL'),
  /** Connections in the pool. */
  DATABASE_POOL_MAX: env.positiveInt(10),
  /** How long a transaction waits for a pooled connection before the call fails (503). */
  DATABASE_TX_MAX_WAIT_MS: env.positiveInt(10_000),
  /** The gateway's caller-proof public keys (a JWK Set): commands acting for a person must carry a proof they verify. */
  CALLER_PROOF_PUBLIC_KEYS: callerProofPublicKeys(),
  /** Keys that encrypt TOTP secrets at rest (AES-256-GCM), base64, current first; kept outside the database. */
  SECRETS_ENCRYPTION_KEYS: secretsEncryptionKeys(),
  /** Failed sign-ins (password or security code) before the login id is locked (rule 12). */
  SIGN_IN_MAX_FAILURES: env.positiveInt(5),
  /** How long a locked login id stays locked. */
  SIGN_IN_LOCKOUT_SECONDS: env.positiveInt(900),
  /** How long a registration's email verification link works (issue 10). */
  EMAIL_VERIFICATION_TTL_SECONDS: env.positiveInt(24 * 3600),
  /** How long a "forgot password" reset link works. */
  PASSWORD_RESET_TTL_SECONDS: env.positiveInt(30 * 60),
  /** The issuer an authenticator app shows next to the account at two-factor enrollment. */
  TOTP_ISSUER: z.string().min(1).max(60).regex(/^[^:]+$/, 'must not contain a colon').default('Access Manager'),
  /** How long an Idempotency-Key's first result is kept for its retries. */
  IDEMPOTENCY_KEY_TTL_HOURS: env.positiveInt(24),
  /** Concurrent activity executions of the directory worker. */
  DIRECTORY_ACTIVITY_CONCURRENCY: env.positiveInt(50),
  /** Approver coverage (issue 18): a Security Official who signed in within this many days is active. */
  SECURITY_OFFICIAL_ACTIVE_DAYS: env.positiveInt(180),
  /**
   * Issue 18: the access review policy the directory records on every campaign, and the day a
   * campaign without a person's proof (the yearly schedule's) is accepted: that day or the next,
   * once a year.
   */
  ...accessReviewPolicyShape,
  /** The program calendar (issue 19): rule 11's registration window is its REGISTRATION_WINDOW. */
  ...programCalendarShape,
};
export type DirectoryConfig = ReturnType<typeof loadDirectoryConfig>;
export const DIRECTORY_CONFIG = Symbol('DIRECTORY_CONFIG');

export function loadDirectoryConfig(source: NodeJS.ProcessEnv = process.env) {
  return loadConfig(directoryConfigShape, source);
}
