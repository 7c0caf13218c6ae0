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
  /** The web UI's build (services/web/dist), served at `/`. */
  WEB_DIST_DIR: env.string(resolve(__dirname, '..', '..', '..', 'web', 'dist')),
};
export type GatewayConfig = ReturnType<typeof loadGatewayConfig>;
export const GATEWAY_CONFIG = Symbol('GATEWAY_CONFIG');

export function loadGatewayConfig(source: NodeJS.ProcessEnv = process.env) {
  const config = loadConfig(gatewayConfigShape, source);
  if (config.NODE_ENV === 'production' && config.AUTH_TOKEN_SECRET === DEV_SECRET) {
    throw new Error('Invalid configuration:\n  AUTH_TOKEN_SECRET: must be set in production');
  }
  return config;
}
