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
  /**
   * How long an unfinished Idempotency-Key claim holds off its retries. A claim older than this
   * belongs to an attempt that was cut off (its gateway instance lost mid-request): a retry takes
   * it over and runs again. Longer than any one request's work (the gateway's calls time out at 30 s).
   */
  IDEMPOTENCY_CLAIM_LEASE_SECONDS: env.positiveInt(90),
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
  /**
   * Outbound webhooks (issue 20). Loopback, private and link-local endpoints are refused at
   * registration and at delivery (after DNS resolution) unless WEBHOOK_ALLOW_PRIVATE=true, which is
   * for tests and local development only: production refuses it, and demands https.
   */
  WEBHOOK_ALLOW_PRIVATE: z.enum(['true', 'false']).default('false').transform((v) => v === 'true'),
  /** How long a delivery is retried (exponential backoff from WEBHOOK_RETRY_INITIAL, doubling, at most WEBHOOK_RETRY_MAX_INTERVAL apart) before it is given up. */
  WEBHOOK_RETRY_FOR: env.duration('3 days'),
  WEBHOOK_RETRY_INITIAL: env.duration('10s'),
  WEBHOOK_RETRY_MAX_INTERVAL: env.duration('6h'),
  /** A subscription whose deliveries have all failed for this long is paused, and its owner told. */
  WEBHOOK_DISABLE_AFTER: env.duration('24h'),
  /** Each attempt's whole time: connecting, sending, and the endpoint's answer. */
  WEBHOOK_TIMEOUT: env.duration('10s'),
  /** After a rotation, how long the previous secret still signs (a second signature). */
  WEBHOOK_SECRET_OVERLAP: env.duration('24h'),
  /** Concurrent delivery attempts of this instance's webhook worker (its own task queue: deliveries never wait behind the directory's activities, nor these behind them). */
  WEBHOOK_DELIVERY_CONCURRENCY: env.positiveInt(100),
  /**
   * Attempts to one subscription in flight at once on this instance: an endpoint that answers
   * slowly holds at most these of the WEBHOOK_DELIVERY_CONCURRENCY slots; its other deliveries wait
   * their next retry, so they never take the slots other subscribers' deliveries need.
   */
  WEBHOOK_ENDPOINT_CONCURRENCY: env.positiveInt(10),
  /** How often the dispatcher looks for audit events to deliver when nothing told it sooner. */
  WEBHOOK_DISPATCH_EVERY: env.duration('1s'),
};
export type DirectoryConfig = ReturnType<typeof loadDirectoryConfig>;
export const DIRECTORY_CONFIG = Symbol('DIRECTORY_CONFIG');

export function loadDirectoryConfig(source: NodeJS.ProcessEnv = process.env) {
  const config = loadConfig(directoryConfigShape, source);
  if (config.WEBHOOK_ENDPOINT_CONCURRENCY >= config.WEBHOOK_DELIVERY_CONCURRENCY) {
    throw new Error('Invalid configuration:\n  WEBHOOK_ENDPOINT_CONCURRENCY: must be below WEBHOOK_DELIVERY_CONCURRENCY (one slow endpoint must leave slots for the others)');
  }
  if (config.NODE_ENV === 'production' && config.WEBHOOK_ALLOW_PRIVATE) {
    throw new Error('Invalid configuration:\n  WEBHOOK_ALLOW_PRIVATE: must not be true in production (it lets webhooks reach the internal network)');
  }
  return config;
}
