// Issue 14: the lockout holds against parallel guesses, and sign-in is throttled per client across
// every gateway instance (the throttle state lives in PostgreSQL, not in one instance's memory).
import { request } from 'node:http';
import { join } from 'node:path';
import { freePort, startServiceProcess, totpCode, waitFor, type ManagedProcess } from '@am/devstack';
import { testStack } from '../setup/stack';
import { signInStep } from '../support/accounts';
import { anonymous } from '../support/api';
import { createUser, TEST_PASSWORD, TEST_TOTP_SECRET } from '../support/factories';
import { checkGatewayAnswer } from '../support/openapi-contract-hook';

const MAX_FAILURES = 5; // SIGN_IN_MAX_FAILURES' default

interface Answer {
  status: number;
  retryAfter?: string;
  body: any;
}

/** A POST from a given loopback address, so this client is not the 127.0.0.1 every other test uses. */
function postFrom(localAddress: string, baseUrl: string, path: string, body: unknown): Promise<Answer> {
  const url = new URL(path, baseUrl);
  const data = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(
      { host: url.hostname, port: url.port, path: url.pathname, method: 'POST', localAddress, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => {
          const contentType = res.headers['content-type'] ?? null;
          checkGatewayAnswer({ method: 'POST', url: url.href, status: res.statusCode ?? 0, contentType, body: text })
            .then(() => resolve({ status: res.statusCode ?? 0, retryAfter: res.headers['retry-after'] as string | undefined, body: text ? JSON.parse(text) : undefined }))
            .catch(reject);
        });
      },
    );
    req.on('error', reject);
    req.end(data);
  });
}

describe('lockout under parallel guesses', () => {
  it('40 wrong passwords at once lock the account after the limit, and the right one sent among them is refused', async () => {
    const user = await createUser();
    const wrong = Array.from({ length: 40 }, (_, i) => signInStep(user.loginId, `wrong-password-${i}`));
    const right = signInStep(user.loginId, TEST_PASSWORD);
    const answers = await Promise.all([...wrong, right]);
    const statuses = answers.slice(0, 40).map((a) => a.status);
    expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(MAX_FAILURES);
    expect(statuses.filter((s) => s !== 401 && s !== 429)).toEqual([]);
    const rightAnswer = answers[40];
    expect(rightAnswer.status).toBe(429);
    expect(rightAnswer.body.error.code).toBe('THROTTLED');
  });

  it('40 wrong security codes at once with one mfaToken lock the account, and the right code among them is refused', async () => {
    const user = await createUser();
    const first = await signInStep(user.loginId, TEST_PASSWORD);
    expect(first.status).toBe(200);
    const code = totpCode(TEST_TOTP_SECRET);
    const wrongCode = (i: number) => String((Number(code) + 1 + i) % 1_000_000).padStart(6, '0');
    const wrong = Array.from({ length: 40 }, (_, i) => anonymous.post('/api/v1/auth/mfa', { mfaToken: first.body.mfaToken, code: wrongCode(i) }));
    const right = anonymous.post('/api/v1/auth/mfa', { mfaToken: first.body.mfaToken, code });
    const answers = await Promise.all([...wrong, right]);
    expect(answers.slice(0, 40).filter((a) => a.status === 401).length).toBeLessThanOrEqual(MAX_FAILURES);
    expect(answers[40].status).toBe(429);
  });
});

describe('per-client throttle shared by every gateway instance', () => {
  const LIMIT = 10;
  const gateways: { url: string; process: ManagedProcess }[] = [];

  beforeAll(async () => {
    const stack = testStack();
    for (let i = 0; i < 2; i++) {
      const port = await freePort();
      const env = { ...stack.serviceEnv, GATEWAY_PORT: String(port), AUTH_RATE_LIMIT_PER_CLIENT: String(LIMIT), AUTH_RATE_WINDOW_SECONDS: '600' };
      const proc = startServiceProcess('api-gateway', env, join(stack.logDir, `throttle-gateway-${i}.log`));
      const url = `http://127.0.0.1:${port}`;
      gateways.push({ url, process: proc });
      await waitFor(`the extra gateway at ${url}`, async () => (await fetch(`${url}/health`).catch(() => undefined))?.ok ?? false, 90_000, 250);
    }
  });
  afterAll(async () => {
    await Promise.all(gateways.map((g) => g.process.stop()));
  });

  it('sign-in and the code step from one client get 429 with Retry-After past the limit, counted across instances', async () => {
    const client = '127.0.0.2';
    const answers: Answer[] = [];
    for (let i = 0; i < LIMIT + 6; i++) {
      const gateway = gateways[i % 2].url;
      // Every attempt names another unknown user id: the account lockout never comes into it.
      answers.push(
        i % 3 === 2
          ? await postFrom(client, gateway, '/api/v1/auth/mfa', { mfaToken: `not-a-token-${i}`, code: '000000' })
          : await postFrom(client, gateway, '/api/v1/auth/sign-in', { userId: `nobody.${Date.now()}.${i}`, password: 'wrong-password', acceptStatementOfTruth: true }),
      );
    }
    // Up to the limit each attempt is answered on its merits (401; a malformed mfaToken, 400) ...
    for (const a of answers.slice(0, LIMIT)) expect([400, 401]).toContain(a.status);
    // ... and past it, whatever it carries, 429.
    for (const a of answers.slice(LIMIT)) {
      expect(a.status).toBe(429);
      expect(a.body.error.code).toBe('THROTTLED');
      expect(Number(a.retryAfter)).toBeGreaterThan(0);
    }
    // Another client is not held up by this one.
    const other = await postFrom('127.0.0.3', gateways[0].url, '/api/v1/auth/sign-in', { userId: `nobody.${Date.now()}`, password: 'x', acceptStatementOfTruth: true });
    expect(other.status).toBe(401);
  });
});
