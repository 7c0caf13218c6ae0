import { RateLimiterMemory } from 'rate-limiter-flexible';
import type { Request, Response } from 'express';
import { DomainError } from '@am/contracts';
import { RateLimits } from '../common/rate-limits.service';
import { loadGatewayConfig } from '../config/gateway.config';
import { AccountThrottle } from './account-throttle';

/** The shared limits, counted in memory instead of PostgreSQL: the same counting, no database (its pool never connects). */
class InMemoryRateLimits extends RateLimits {
  protected override createLimiter(opts: { keyPrefix: string; points: number; duration: number }) {
    return new RateLimiterMemory(opts);
  }
}

function setup(env: Record<string, string>) {
  const config = loadGatewayConfig({ ...env, ...TEST_KEYS });
  const storage = new InMemoryRateLimits(config);
  const throttle = new AccountThrottle(storage, config);
  const headers: Record<string, unknown> = {};
  const res = { setHeader: (k: string, v: unknown) => (headers[k] = v) } as unknown as Response;
  const req = (ip: string) => ({ ip }) as Request;
  return { storage, throttle, headers, res, req };
}

const TEST_KEYS = {
  AUTH_TOKEN_SECRET: 'a-unit-test-secret-of-at-least-32-characters',
  CALLER_PROOF_SIGNING_KEY: JSON.stringify({ kty: 'OKP', crv: 'Ed25519', kid: 'unit', x: 'x'.repeat(43), d: 'd'.repeat(43) }),
  DATABASE_URL: 'postgresql://unused/none',
};

describe('AccountThrottle', () => {
  it('refuses a client address past its limit with THROTTLED and Retry-After, and counts each address apart', async () => {
    const { throttle, headers, res, req } = setup({ ACCOUNT_RATE_LIMIT_PER_CLIENT: '2', ACCOUNT_RATE_WINDOW_SECONDS: '60' });
    await throttle.check(req('10.0.0.1'), res, 'register');
    await throttle.check(req('10.0.0.1'), res, 'register');
    const refused = await throttle.check(req('10.0.0.1'), res, 'verify-email').catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(DomainError);
    expect((refused as DomainError).code).toBe('THROTTLED');
    expect((refused as DomainError).message).toMatch(/^Too many requests from this address: retry after \d+ s$/);
    expect(headers['Retry-After']).toBeGreaterThan(0);
    await expect(throttle.check(req('10.0.0.2'), res, 'register')).resolves.toBeUndefined();
  });

  it('counts "forgot" requests per email address or user id, in any case, whether or not it exists', async () => {
    const { throttle, res, req } = setup({ ACCOUNT_RATE_LIMIT_PER_ACCOUNT: '1' });
    await throttle.check(req('10.0.0.1'), res, 'forgot-user-id', 'Jane@Example.com');
    await expect(throttle.check(req('10.0.0.2'), res, 'forgot-user-id', ' jane@example.com')).rejects.toThrow(/^Too many requests for this email address/);
    await expect(throttle.check(req('10.0.0.2'), res, 'forgot-password', 'jane@example.com')).resolves.toBeUndefined();
  });
});
