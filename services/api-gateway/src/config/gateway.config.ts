import { resolve } from 'node:path';
import { z } from 'zod';
import { commonShape, env, loadConfig } from '@am/service-kit';

const DEV_SECRET = 'dev-only-secret-change-me-0123456789abcdef';

export const gatewayConfigShape = {
  ...commonShape,
  GATEWAY_HOST: env.host('127.0.0.1'),
  GATEWAY_PORT: env.port(3000),
  /** HMAC key that signs session tokens: at least 32 characters, and required in production. */
  AUTH_TOKEN_SECRET: z.string().min(32, 'must be at least 32 characters').default(DEV_SECRET),
  ACCESS_TOKEN_TTL_SECONDS: env.positiveInt(900),
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
  /** The web UI's build (services/web/dist), served at `/`. */
  WEB_DIST_DIR: env.string(resolve(__dirname, '..', '..', '..', 'web', 'dist')),
};
export type GatewayConfig = ReturnType<typeof loadGatewayConfig>;
export const GATEWAY_CONFIG = Symbol('GATEWAY_CONFIG');

export function loadGatewayConfig(source: NodeJS.ProcessEnv = process.env) {
  const loaded = loadConfig(gatewayConfigShape, source);
  const config = { ...loaded, COOKIE_SECURE: loaded.COOKIE_SECURE === undefined ? loaded.NODE_ENV === 'production' : loaded.COOKIE_SECURE === 'true' };
  if (config.NODE_ENV === 'production' && config.AUTH_TOKEN_SECRET === DEV_SECRET) {
    throw new Error('Invalid configuration:\n  AUTH_TOKEN_SECRET: must be set in production');
  }
  return config;
}
