import { ThrottlerStorageService } from '@nestjs/throttler';
import type { Request, Response } from 'express';
import { DomainError } from '@am/contracts';
import { loadGatewayConfig } from '../config/gateway.config';
import { AccountThrottle } from './account-throttle';

function setup(env: Record<string, string>) {
  const storage = new ThrottlerStorageService();
  const throttle = new AccountThrottle(storage, loadGatewayConfig(env));
  const headers: Record<string, unknown> = {};
  const res = { setHeader: (k: string, v: unknown) => (headers[k] = v) } as unknown as Response;
  const req = (ip: string) => ({ ip }) as Request;
  return { storage, throttle, headers, res, req };
}

describe('AccountThrottle', () => {
  it('refuses a client address past its limit with THROTTLED and Retry-After, and counts each address apart', async () => {
    const { storage, throttle, headers, res, req } = setup({ ACCOUNT_RATE_LIMIT_PER_CLIENT: '2', ACCOUNT_RATE_WINDOW_SECONDS: '60' });
    await throttle.check(req('10.0.0.1'), res, 'register');
    await throttle.check(req('10.0.0.1'), res, 'register');
    const refused = await throttle.check(req('10.0.0.1'), res, 'verify-email').catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(DomainError);
    expect((refused as DomainError).code).toBe('THROTTLED');
    expect((refused as DomainError).message).toMatch(/^Too many requests from this address: retry after \d+ s$/);
    expect(headers['Retry-After']).toBeGreaterThan(0);
    await expect(throttle.check(req('10.0.0.2'), res, 'register')).resolves.toBeUndefined();
    storage.onApplicationShutdown();
  });

  it('counts "forgot" requests per email address or user id, in any case, whether or not it exists', async () => {
    const { storage, throttle, res, req } = setup({ ACCOUNT_RATE_LIMIT_PER_ACCOUNT: '1' });
    await throttle.check(req('10.0.0.1'), res, 'forgot-user-id', 'Jane@Example.com');
    await expect(throttle.check(req('10.0.0.2'), res, 'forgot-user-id', ' jane@example.com')).rejects.toThrow(/^Too many requests for this email address/);
    await expect(throttle.check(req('10.0.0.2'), res, 'forgot-password', 'jane@example.com')).resolves.toBeUndefined();
    storage.onApplicationShutdown();
  });
});
