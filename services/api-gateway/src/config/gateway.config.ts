import { resolve } from 'node:path';
import { z } from 'zod';
import { callerProofSigningKey, commonShape, env, loadConfig, programCalendarShape } from '@am/service-kit';

const secretList = z
  .string()
  .default('')
  .transform((v) => v.split(',').map((s) => s.trim()).filter(Boolean))
  .pipe(z.array(z.string().min(32, 'each must be at least 32 characters')));

export const gatewayConfigShape = {
  ...commonShape,
  GATEWAY_HOST: env.host('127.0.0.1'),
  GATEWAY_PORT: env.port(3000),
  /**
   * HMAC key that signs session tokens: at least 32 random characters. Required: npm start makes
   * one per install in .data/, production configures its own. No key is written in the repository.
   */
  AUTH_TOKEN_SECRET: z.string({ error: 'is required (32+ random characters; npm start generates one in .data/)' }).min(32, 'must be at least 32 characters'),
  /**
   * Keys that signed session tokens before the last rotation (comma-separated): tokens they signed
   * are still accepted, for at most one token lifetime, since no new ones are signed with them.
   */
  AUTH_TOKEN_PREVIOUS_SECRETS: secretList,
  /** The gateway's Ed25519 private key (a JWK with its kid) that signs caller proofs for the services. */
  CALLER_PROOF_SIGNING_KEY: callerProofSigningKey(),
  /** How long a caller proof is good for: the services must have accepted the command by then. */
  CALLER_PROOF_TTL_SECONDS: env.positiveInt(300),
  /** Sign-in and security-code attempts per client address per window, across every gateway instance; more get 429. */
  AUTH_RATE_LIMIT_PER_CLIENT: env.positiveInt(30),
  AUTH_RATE_WINDOW_SECONDS: env.positiveInt(300),
  /**
   * Where the rate limits are counted, shared by every gateway instance: Redis when REDIS_URL is
   * set, else the PostgreSQL database at DATABASE_URL (the directory's, table rate_limits).
   */
  REDIS_URL: z.string().regex(/^rediss?:\/\//, 'must be a redis:// or rediss:// URL').optional(),
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgresql:// URL').optional(),
  /**
   * Express's "trust proxy": how many proxies in front of the gateway to trust for the client
   * address (X-Forwarded-For) that rate limits count by. 0 (default): the connection's address.
   */
  TRUST_PROXY_HOPS: z.coerce.number().int().min(0).max(10).default(0),
  ACCESS_TOKEN_TTL_SECONDS: env.positiveInt(900),
  /**
   * How long, in milliseconds, an instance trusts the directory's answer that a session is live and
   * whose it is, counted from when it asked. Every revoked session (sign-out, a disabled account, a
   * password or two-factor reset) is refused by every instance within this time, so it may not
   * exceed 1000 (the product's bound); 0 asks the directory on every request.
   */
  SESSION_CACHE_TTL_MS: z.preprocess(
    (v) => (v === '' ? undefined : v),
    z.coerce
      .number({ error: 'must be a whole number of milliseconds from 0 to 1000' })
      .int('must be a whole number of milliseconds from 0 to 1000')
      .min(0, 'must be a whole number of milliseconds from 0 to 1000')
      .max(1000, 'must be at most 1000: a revoked session must be refused within 1 s')
      .default(500),
  ),
  MFA_TOKEN_TTL_SECONDS: env.positiveInt(300),
  /** How long the token between the password step and two-factor enrollment lasts (time to scan a QR code). */
  ENROLLMENT_TOKEN_TTL_SECONDS: env.positiveInt(900),
  /** Public account requests (register, verify, forgot, reset) per client address per window; more get 429. */
  ACCOUNT_RATE_LIMIT_PER_CLIENT: env.positiveInt(30),
  /** "Forgot user id" / "forgot password" requests per email address or user id per window, whether or not it exists. */
  ACCOUNT_RATE_LIMIT_PER_ACCOUNT: env.positiveInt(3),
  ACCOUNT_RATE_WINDOW_SECONDS: env.positiveInt(900),
  /**
   * Register and "forgot" answers take at least this long, so their timing does not tell whether
   * an account (and an email to send) was found.
   */
  ACCOUNT_MIN_RESPONSE_MS: z.coerce.number().int().min(0).max(10_000).default(400),
  /** Browser origins allowed to call the API (comma-separated, e.g. https://am.example.gov); none by default. */
  CORS_ORIGINS: z
    .string()
    .default('')
    .transform((v) => v.split(',').map((o) => o.trim()).filter(Boolean))
    .pipe(z.array(z.url({ message: 'each origin must be a URL like https://am.example.gov' }))),
  /** Secure flag on the web UI's session cookies; on by default in production (HTTPS). */
  COOKIE_SECURE: z.enum(['true', 'false']).optional().transform((v) => v),
  /** How often the live notification stream asks the notifications service for new notices (while anyone listens). */
  NOTICE_STREAM_POLL_MS: env.positiveInt(250),
  /** A keep-alive event on every open notification stream, so proxies do not close an idle one. */
  NOTICE_STREAM_KEEPALIVE_SECONDS: env.positiveInt(20),
  /**
   * Live notification streams one user may hold open at once; the next is answered 429 until one
   * closes. Counted per gateway instance (in its memory), so behind N instances a user may hold up
   * to N times this: it bounds what one account can hold of each instance's connections.
   */
  NOTICE_STREAMS_PER_USER: env.positiveInt(5),
  /** The largest request body the gateway reads, in kB (after inflating a compressed one); larger ones get 413. */
  REQUEST_BODY_LIMIT_KB: env.positiveInt(100),
  /**
   * Where people reach the web UI and the API (this gateway), as they see it: the personal calendar
   * feed's URL and the feed's links start with it, and its host names the feed's event UIDs.
   */
  WEB_BASE_URL: z
    .string()
    .url()
    .default('http://127.0.0.1:3000')
    .transform((u) => u.replace(/\/+$/, '')),
  /** The program calendar (issue 19): GET /program-calendar and its iCalendar feeds answer its periods. */
  ...programCalendarShape,
  /** The web UI's build (services/web/dist), served at `/`. */
  WEB_DIST_DIR: env.string(resolve(__dirname, '..', '..', '..', 'web', 'dist')),
};
export type GatewayConfig = ReturnType<typeof loadGatewayConfig>;
export const GATEWAY_CONFIG = Symbol('GATEWAY_CONFIG');

export function loadGatewayConfig(source: NodeJS.ProcessEnv = process.env) {
  const loaded = loadConfig(gatewayConfigShape, source);
  const config = { ...loaded, COOKIE_SECURE: loaded.COOKIE_SECURE === undefined ? loaded.NODE_ENV === 'production' : loaded.COOKIE_SECURE === 'true' };
  if (!config.REDIS_URL && !config.DATABASE_URL) {
    throw new Error('Invalid configuration:\n  DATABASE_URL: set it (or REDIS_URL): the rate limits are counted there, shared by every gateway instance');
  }
  return config;
}
