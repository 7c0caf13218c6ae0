// Issue 16, part 3: the gateway does not ask the directory about a session on every request, and
// a revoked session (sign-out, disabled account, password reset, two-factor reset) is refused by
// every gateway instance within 1 s. Two more gateway instances run against this run's directory;
// what each asked the directory is read from the directory's own log (one `rpc` line per message it
// handled, tagged with the gateway request's id).
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { freePort, startServiceProcess, waitFor, type ManagedProcess } from '@am/devstack';
/* eslint-disable @nx/enforce-module-boundaries -- the TTL the gateways run with, as the gateway reads it */
import { loadGatewayConfig } from '../../services/api-gateway/src/config/gateway.config';
/* eslint-enable @nx/enforce-module-boundaries */
import { testStack } from '../setup/stack';
import { emailTo, linkToken } from '../support/accounts';
import { anonymous, Api, signIn, signInFresh } from '../support/api';
import { createUser, type TestUser } from '../support/factories';
import { REVOCATION_BOUND_MS, SCHEDULING_MARGIN_MS, SessionWatch } from '../support/sessions';

/** The gateways here run with the run's settings, so with the default TTL. */
const ttlMs = () => loadGatewayConfig(testStack().serviceEnv).SESSION_CACHE_TTL_MS;

/** The directory's log lines of handled checkSession messages, by the gateway request's id. */
function sessionChecksLogged(requestIdPrefix: string): string[] {
  return readFileSync(join(testStack().logDir, 'directory.log'), 'utf8')
    .split('\n')
    .filter((line) => line.startsWith('{') && line.includes(requestIdPrefix))
    .map((line) => JSON.parse(line) as { msg?: string; handler?: string; requestId?: string })
    .filter((l) => l.msg === 'rpc' && l.handler === 'AuthController.checkSession' && l.requestId?.startsWith(requestIdPrefix))
    .map((l) => l.requestId!);
}

function me(gatewayUrl: string, token: string, requestId: string): Promise<Response> {
  return fetch(`${gatewayUrl}/api/v1/me`, { headers: { authorization: `Bearer ${token}`, 'x-request-id': requestId } });
}

describe('session checks across gateway instances', () => {
  const gateways: { url: string; process: ManagedProcess }[] = [];

  beforeAll(async () => {
    expect(testStack().serviceEnv.SESSION_CACHE_TTL_MS).toBeUndefined();
    const stack = testStack();
    await Promise.all(
      [0, 1].map(async (i) => {
        const port = await freePort();
        const proc = startServiceProcess('api-gateway', { ...stack.serviceEnv, GATEWAY_PORT: String(port) }, join(stack.logDir, `session-gateway-${i}.log`));
        const url = `http://127.0.0.1:${port}`;
        gateways[i] = { url, process: proc };
        await waitFor(`the extra gateway at ${url}`, async () => (await fetch(`${url}/health`).catch(() => undefined))?.ok ?? false, 90_000, 250);
      }),
    );
  }, 120_000);

  afterAll(async () => {
    await Promise.all(gateways.map((g) => g.process.stop()));
  });

  it('asks the directory about a busy session at most once per TTL per instance, not once per request', async () => {
    const session = await signInFresh(await createUser());
    const prefix = `session-load-${randomUUID()}`;
    let n = 0;
    const started = performance.now();
    // Bursts of concurrent requests (they share one check in flight) and sequential ones, on both instances.
    for (let round = 0; round < 4; round++) {
      const burst = await Promise.all(gateways.flatMap((g) => Array.from({ length: 25 }, () => me(g.url, session.token!, `${prefix}-${n++}`))));
      expect(burst.map((r) => r.status)).toEqual(burst.map(() => 200));
      for (let i = 0; i < 20; i++) expect((await me(gateways[i % 2].url, session.token!, `${prefix}-${n++}`)).status).toBe(200);
    }
    const elapsed = performance.now() - started;

    // A last request on a session neither instance has seen is always checked: once its line is in
    // the directory's log, so is every line before it (one process writes the file in order).
    const marker = `${prefix}-marker`;
    expect((await me(gateways[0].url, (await signInFresh(await createUser())).token!, marker)).status).toBe(200);
    await waitFor('the directory to log the marker’s session check', async () => sessionChecksLogged(marker).length === 1, 10_000, 50);

    const checks = sessionChecksLogged(prefix).filter((id) => id !== marker);
    const perInstanceBound = Math.ceil(elapsed / ttlMs()) + 1;
    console.log(`${n} requests in ${Math.round(elapsed)} ms on 2 instances: ${checks.length} session checks (bound ${2 * perInstanceBound})`);
    // Each instance asked at least once, at most once per TTL, and far less often than it was asked.
    expect(checks.length).toBeGreaterThanOrEqual(2);
    expect(checks.length).toBeLessThanOrEqual(2 * perInstanceBound);
    expect(checks.length * 5).toBeLessThan(n);
  });

  it('refuses a forged or altered session token without asking the directory', async () => {
    const session = await signInFresh(await createUser());
    const [h, p, sig] = session.token!.split('.');
    const claims = JSON.parse(Buffer.from(p, 'base64url').toString('utf8')) as Record<string, unknown>;
    const forged = [
      `${h}.${Buffer.from(JSON.stringify({ ...claims, sid: randomUUID() })).toString('base64url')}.${sig}`,
      `${h}.${p}.${Buffer.alloc(32).toString('base64url')}`,
      `${h}.${Buffer.from(JSON.stringify({ ...claims, exp: Math.floor(Date.now() / 1000) + 86_400 * 365 })).toString('base64url')}.${sig}`,
    ];
    const prefix = `session-forged-${randomUUID()}`;
    for (const [i, token] of forged.entries()) {
      const res = await me(gateways[i % 2].url, token, `${prefix}-${i}`);
      expect(res.status).toBe(401);
    }
    const marker = `${prefix}-marker`;
    expect((await me(gateways[1].url, session.token!, marker)).status).toBe(200);
    await waitFor('the directory to log the marker’s session check', async () => sessionChecksLogged(marker).length === 1, 10_000, 50);
    expect(sessionChecksLogged(prefix)).toEqual([marker]);
  });

  describe('a revoked session is refused on every instance within 1 s', () => {
    let helpDesk: Api;
    beforeAll(async () => {
      helpDesk = await signIn(await createUser({ platformRole: 'HELP_DESK' }));
    });

    /**
     * Keeps the session busy on both extra instances (so each has it cached as live), revokes it
     * through `revoke` (which answers when the revocation's answer arrived), and measures how long
     * after that each instance refuses it.
     */
    async function refusedOnBoth(user: TestUser, session: Api, revoke: () => Promise<number>): Promise<number[]> {
      const watches = gateways.map((g) => SessionWatch.start(new Api(session.token, g.url)));
      await Promise.all(watches.map((w) => w.accepted));
      const since = await revoke();
      const refusals = await Promise.all(watches.map((w) => w.refused(since)));
      console.log(`${user.loginId}: refused after ${refusals.map((r) => r.ms).join(' and ')} ms`);
      for (const r of refusals) {
        expect(r.response.body.error).toMatchObject({ code: 'UNAUTHENTICATED', message: 'The session has ended; sign in again' });
        expect(r.ms).toBeLessThanOrEqual(REVOCATION_BOUND_MS + SCHEDULING_MARGIN_MS);
      }
      return refusals.map((r) => r.ms);
    }

    it('sign-out (through another instance)', async () => {
      const user = await createUser();
      const session = await signInFresh(user);
      await refusedOnBoth(user, session, async () => {
        expect((await session.post('/api/v1/auth/sign-out')).status).toBe(204);
        return performance.now();
      });
    });

    it('sign-out through one of them: that one refuses the session at once', async () => {
      const user = await createUser();
      const session = await signInFresh(user);
      const onFirst = new Api(session.token, gateways[0].url);
      const other = SessionWatch.start(new Api(session.token, gateways[1].url));
      await other.accepted;
      expect((await onFirst.get('/api/v1/me')).status).toBe(200);
      expect((await onFirst.post('/api/v1/auth/sign-out')).status).toBe(204);
      const since = performance.now();
      expect((await onFirst.get('/api/v1/me')).status).toBe(401);
      expect((await other.refused(since)).ms).toBeLessThanOrEqual(REVOCATION_BOUND_MS + SCHEDULING_MARGIN_MS);
    });

    it('disabled account', async () => {
      const user = await createUser();
      await refusedOnBoth(user, await signInFresh(user), async () => {
        expect((await helpDesk.post(`/api/v1/users/${user.loginId}/disable`, { reason: 'left the practice (ticket 16-3)' })).status).toBe(200);
        return performance.now();
      });
    });

    it('password reset', async () => {
      const user = await createUser();
      const session = await signInFresh(user);
      expect((await anonymous.post('/api/v1/accounts/forgot-password', { userId: user.loginId })).status).toBe(202);
      const token = linkToken(await emailTo(user.email, 'Reset your Access Manager password'));
      await refusedOnBoth(user, session, async () => {
        expect((await anonymous.post('/api/v1/accounts/reset-password', { token, password: 'a fresh passphrase for issue sixteen' })).status).toBe(200);
        return performance.now();
      });
    });

    it('two-factor reset', async () => {
      const user = await createUser();
      await refusedOnBoth(user, await signInFresh(user), async () => {
        expect((await helpDesk.post(`/api/v1/users/${user.loginId}/reset-two-factor`, { reason: 'lost phone (ticket 16-3)' })).status).toBe(200);
        return performance.now();
      });
    });
  });
});
