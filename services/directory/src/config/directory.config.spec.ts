import { randomBytes } from 'node:crypto';
import { loadDirectoryConfig } from './directory.config';

const base = {
  DATABASE_URL: 'postgresql://localhost/am',
  CALLER_PROOF_PUBLIC_KEYS: JSON.stringify({ keys: [{ kty: 'OKP', crv: 'Ed25519', kid: 'unit', x: 'x'.repeat(43) }] }),
  SECRETS_ENCRYPTION_KEYS: randomBytes(32).toString('base64'),
};

describe('directory configuration: webhooks (issue 20)', () => {
  it('defaults to the issue’s figures: 3 days of retries, 10 s timeout, paused after 24 h of failures, private addresses refused', () => {
    const c = loadDirectoryConfig(base);
    expect(c.WEBHOOK_RETRY_FOR).toBe(3 * 24 * 3600_000);
    expect(c.WEBHOOK_TIMEOUT).toBe(10_000);
    expect(c.WEBHOOK_DISABLE_AFTER).toBe(24 * 3600_000);
    expect(c.WEBHOOK_SECRET_OVERLAP).toBe(24 * 3600_000);
    expect(c.WEBHOOK_ALLOW_PRIVATE).toBe(false);
  });

  it('reads durations as the other services do', () => {
    expect(loadDirectoryConfig({ ...base, WEBHOOK_RETRY_FOR: '2 minutes', WEBHOOK_RETRY_INITIAL: '1s' })).toMatchObject({ WEBHOOK_RETRY_FOR: 120_000, WEBHOOK_RETRY_INITIAL: 1000 });
    expect(() => loadDirectoryConfig({ ...base, WEBHOOK_TIMEOUT: 'soon' })).toThrow(/WEBHOOK_TIMEOUT: must be a positive duration/);
  });

  it('keeps one endpoint’s share of the delivery slots below all of them', () => {
    expect(() => loadDirectoryConfig({ ...base, WEBHOOK_ENDPOINT_CONCURRENCY: '100', WEBHOOK_DELIVERY_CONCURRENCY: '100' })).toThrow(/WEBHOOK_ENDPOINT_CONCURRENCY: must be below WEBHOOK_DELIVERY_CONCURRENCY/);
  });

  it('allows private endpoints in development and tests, never in production', () => {
    expect(loadDirectoryConfig({ ...base, NODE_ENV: 'test', WEBHOOK_ALLOW_PRIVATE: 'true' }).WEBHOOK_ALLOW_PRIVATE).toBe(true);
    expect(() => loadDirectoryConfig({ ...base, NODE_ENV: 'production', WEBHOOK_ALLOW_PRIVATE: 'true' })).toThrow(/WEBHOOK_ALLOW_PRIVATE: must not be true in production/);
    expect(() => loadDirectoryConfig({ ...base, WEBHOOK_ALLOW_PRIVATE: 'yes' })).toThrow(/WEBHOOK_ALLOW_PRIVATE/);
  });
});
