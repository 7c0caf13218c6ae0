import type { ExecutionContext } from '@nestjs/common';
import type { Reflector } from '@nestjs/core';
import type { ClientProxy } from '@nestjs/microservices';
import { defer, type Observable } from 'rxjs';
import { DIRECTORY_PATTERNS, DomainError, ERROR_CODES, type AuthenticatedPrincipal } from '@am/contracts';
import type { RateLimits } from '../common/rate-limits.service';
import { loadGatewayConfig, type GatewayConfig } from '../config/gateway.config';
import { SessionChecks } from './session-checks.service';
import { SessionGuard } from './session.guard';
import { TokensService } from './tokens.service';

const TTL = 500;
const jane: AuthenticatedPrincipal = { userId: 'u-jane', loginId: 'jane', displayName: 'Jane', platformRole: null };
const ENDED = { code: ERROR_CODES.UNAUTHENTICATED, message: 'The session has ended; sign in again' };

/**
 * A directory whose every checkSession is answered when the test says so: `answer(i, value)`
 * resolves the i-th question, `fail(i, body)` answers it with an error body, as the RPC does.
 */
function fakeDirectory() {
  const questions: Array<{ sessionId: string; resolve: (v: unknown) => void; reject: (e: unknown) => void }> = [];
  const client = {
    send: jest.fn((pattern: string, payload: { sessionId: string }): Observable<unknown> => {
      expect(pattern).toBe(DIRECTORY_PATTERNS.checkSession);
      return defer(() => new Promise((resolve, reject) => questions.push({ sessionId: payload.sessionId, resolve, reject })));
    }),
  };
  return {
    client: client as unknown as ClientProxy,
    questions,
    asked: () => client.send.mock.calls.length,
    answer: (i: number, v: unknown = jane) => questions[i].resolve(v),
    fail: (i: number, body: unknown) => questions[i].reject(body),
  };
}

/** Lets the promise callbacks of answers already given run (setImmediate stays real: see useFakeTimers below). */
const settle = () => new Promise<void>((r) => setImmediate(r));

/** Until the condition holds (what it waits for runs on other turns of the event loop, e.g. crypto). */
async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 1000 && !condition(); i++) await settle();
  expect(condition()).toBe(true);
}

describe('SessionChecks', () => {
  // The clock (performance.now, Date, timers) is the test's; setImmediate lets answers settle.
  // (A process's clock is well past 0 by its first request; lru-cache takes a start time of 0 for "none".)
  beforeEach(() => {
    jest.useFakeTimers({ doNotFake: ['setImmediate', 'nextTick', 'queueMicrotask'] });
    jest.advanceTimersByTime(60_000);
  });
  afterEach(() => jest.useRealTimers());

  it('asks the directory once per TTL for a busy session, sharing a check in flight', async () => {
    const dir = fakeDirectory();
    const checks = new SessionChecks({ SESSION_CACHE_TTL_MS: TTL }, dir.client);
    const burst = Array.from({ length: 20 }, () => checks.principalOf('s1'));
    await settle();
    expect(dir.asked()).toBe(1);
    dir.answer(0);
    await expect(Promise.all(burst)).resolves.toEqual(burst.map(() => jane));
    for (let t = 0; t < TTL; t += 100) {
      jest.advanceTimersByTime(100);
      await expect(checks.principalOf('s1')).resolves.toEqual(jane);
    }
    expect(dir.asked()).toBe(1);
    jest.advanceTimersByTime(1);
    const after = checks.principalOf('s1');
    await settle();
    expect(dir.asked()).toBe(2);
    dir.answer(1);
    await expect(after).resolves.toEqual(jane);
    // Another session is another question.
    const other = checks.principalOf('s2');
    await settle();
    expect(dir.questions.map((q) => q.sessionId)).toEqual(['s1', 's1', 's2']);
    dir.answer(2);
    await other;
  });

  it('counts an answer’s age from when the question was sent, however slow the directory was', async () => {
    const dir = fakeDirectory();
    const checks = new SessionChecks({ SESSION_CACHE_TTL_MS: TTL }, dir.client);
    const first = checks.principalOf('s1');
    await settle();
    jest.advanceTimersByTime(400);
    dir.answer(0);
    await first;
    jest.advanceTimersByTime(100);
    await checks.principalOf('s1');
    expect(dir.asked()).toBe(1);
    // 501 ms after the question: the session may have been revoked since the directory read it.
    jest.advanceTimersByTime(1);
    const next = checks.principalOf('s1');
    await settle();
    expect(dir.asked()).toBe(2);
    dir.fail(1, ENDED);
    await expect(next).rejects.toMatchObject(ENDED);
  });

  it('does not join a check in flight for longer than the TTL: a later request asks again', async () => {
    const dir = fakeDirectory();
    const checks = new SessionChecks({ SESSION_CACHE_TTL_MS: TTL }, dir.client);
    const stuck = checks.principalOf('s1');
    await settle();
    jest.advanceTimersByTime(TTL + 50);
    const later = checks.principalOf('s1');
    await settle();
    expect(dir.asked()).toBe(2);
    // The later question is answered first (revoked); the stuck one's "live" must not replace it.
    dir.fail(1, ENDED);
    await expect(later).rejects.toMatchObject(ENDED);
    dir.answer(0);
    await expect(stuck).resolves.toEqual(jane);
    await expect(checks.principalOf('s1')).rejects.toMatchObject(ENDED);
    expect(dir.asked()).toBe(2);
  });

  it('remembers an ended session for the TTL (401 each time), but never a directory that did not answer', async () => {
    const dir = fakeDirectory();
    const checks = new SessionChecks({ SESSION_CACHE_TTL_MS: TTL }, dir.client);
    const first = checks.principalOf('gone');
    await settle();
    dir.fail(0, ENDED);
    await expect(first).rejects.toBeInstanceOf(DomainError);
    for (let i = 0; i < 5; i++) await expect(checks.principalOf('gone')).rejects.toMatchObject(ENDED);
    expect(dir.asked()).toBe(1);

    const down = checks.principalOf('s1');
    await settle();
    dir.fail(1, new Error('connect ECONNREFUSED'));
    await expect(down).rejects.toMatchObject({ code: ERROR_CODES.SERVICE_UNAVAILABLE });
    const again = checks.principalOf('s1');
    await settle();
    expect(dir.asked()).toBe(3);
    dir.answer(2);
    await expect(again).resolves.toEqual(jane);
  });

  it('forgets a session signed out here at once, including a check already in flight', async () => {
    const dir = fakeDirectory();
    const checks = new SessionChecks({ SESSION_CACHE_TTL_MS: TTL }, dir.client);
    const warm = checks.principalOf('s1');
    await settle();
    dir.answer(0);
    await warm;
    const inFlight = (checks.forget('s1'), checks.principalOf('s1'));
    await settle();
    expect(dir.asked()).toBe(2);
    // Signed out again while that check is on its way (it read the session before the sign-out).
    checks.forget('s1');
    dir.answer(1);
    await inFlight;
    const afterSignOut = checks.principalOf('s1');
    await settle();
    expect(dir.asked()).toBe(3);
    dir.fail(2, ENDED);
    await expect(afterSignOut).rejects.toMatchObject(ENDED);
  });

  it('with a TTL of 0 asks the directory on every request', async () => {
    const dir = fakeDirectory();
    const checks = new SessionChecks({ SESSION_CACHE_TTL_MS: 0 }, dir.client);
    const a = checks.principalOf('s1');
    const b = checks.principalOf('s1');
    await settle();
    expect(dir.asked()).toBe(2);
    dir.answer(0);
    dir.answer(1);
    await Promise.all([a, b]);
    const c = checks.principalOf('s1');
    await settle();
    expect(dir.asked()).toBe(3);
    dir.answer(2);
    await c;
  });
});

describe('SessionGuard with the session cache', () => {
  const SECRET = 'a-test-secret-of-at-least-32-characters!';
  const config = { AUTH_TOKEN_SECRET: SECRET, AUTH_TOKEN_PREVIOUS_SECRETS: [], SESSION_CACHE_TTL_MS: TTL } as unknown as GatewayConfig;
  const tokens = new TokensService(config);
  const reflector = { getAllAndOverride: () => undefined } as unknown as Reflector;

  function setup() {
    const dir = fakeDirectory();
    const guard = new SessionGuard(reflector, tokens, {} as RateLimits, new SessionChecks(config, dir.client), config, dir.client);
    const run = async (token: string) => {
      const req: Record<string, unknown> = { method: 'GET', cookies: {}, header: (name: string) => (name === 'authorization' ? `Bearer ${token}` : undefined) };
      const ctx = { getHandler: () => undefined, getClass: () => undefined, switchToHttp: () => ({ getRequest: () => req, getResponse: () => ({}) }) } as unknown as ExecutionContext;
      await guard.canActivate(ctx);
      return req.principal;
    };
    return { dir, run };
  }
  const tokenFor = async (userId: string, sessionId: string) =>
    (await tokens.issueAccessToken({ ...jane, userId, sessionId, expiresAt: new Date(Date.now() + 60_000).toISOString() })).accessToken;

  it('refuses a forged or altered token without asking the directory', async () => {
    const { dir, run } = setup();
    const genuine = await tokenFor(jane.userId, 's1');
    const [h, p, sig] = genuine.split('.');
    const claims = JSON.parse(Buffer.from(p, 'base64url').toString()) as Record<string, unknown>;
    const altered = `${h}.${Buffer.from(JSON.stringify({ ...claims, sid: 's2' })).toString('base64url')}.${sig}`;
    const otherKey = await new TokensService({ ...config, AUTH_TOKEN_SECRET: 'another-secret-of-at-least-32-characters' } as GatewayConfig).issueAccessToken({
      ...jane,
      sessionId: 's1',
      expiresAt: new Date(Date.now() + 60_000).toISOString(),
    });
    for (const token of [altered, otherKey.accessToken, 'not.a.token', genuine.slice(0, -2)]) {
      await expect(run(token)).rejects.toMatchObject({ code: ERROR_CODES.UNAUTHENTICATED });
    }
    expect(dir.asked()).toBe(0);
  });

  it('answers from the cache for the TTL, and still refuses a token whose subject is not the session’s user', async () => {
    const { dir, run } = setup();
    const token = await tokenFor(jane.userId, 's1');
    const first = run(token);
    await until(() => dir.asked() === 1);
    dir.answer(0);
    await expect(first).resolves.toMatchObject({ ...jane, sessionId: 's1', via: 'bearer' });
    for (let i = 0; i < 10; i++) await expect(run(token)).resolves.toMatchObject({ userId: jane.userId });
    expect(dir.asked()).toBe(1);
    // Signed with the real key (an insider) for another user, naming jane's session: refused, from the cache.
    const mallory = await tokenFor('u-mallory', 's1');
    await expect(run(mallory)).rejects.toMatchObject({ code: ERROR_CODES.UNAUTHENTICATED, message: 'The session token does not belong to its session; sign in again' });
    expect(dir.asked()).toBe(1);
  });
});

describe('SESSION_CACHE_TTL_MS', () => {
  const base = {
    AUTH_TOKEN_SECRET: 'a-unit-test-secret-of-at-least-32-characters',
    CALLER_PROOF_SIGNING_KEY: JSON.stringify({ kty: 'OKP', crv: 'Ed25519', kid: 'unit', x: 'x'.repeat(43), d: 'd'.repeat(43) }),
    DATABASE_URL: 'postgresql://unused/none',
  };
  const load = (v?: string) => loadGatewayConfig({ ...base, ...(v === undefined ? {} : { SESSION_CACHE_TTL_MS: v }) });

  it('defaults to 500 ms and takes 0 to 1000', () => {
    expect(load().SESSION_CACHE_TTL_MS).toBe(500);
    expect(load('').SESSION_CACHE_TTL_MS).toBe(500);
    expect(load('0').SESSION_CACHE_TTL_MS).toBe(0);
    expect(load('1000').SESSION_CACHE_TTL_MS).toBe(1000);
  });

  it('refuses anything else, naming the variable', () => {
    expect(() => load('1001')).toThrow('SESSION_CACHE_TTL_MS: must be at most 1000: a revoked session must be refused within 1 s');
    expect(() => load('-1')).toThrow('SESSION_CACHE_TTL_MS: must be a whole number of milliseconds from 0 to 1000');
    expect(() => load('2.5')).toThrow('SESSION_CACHE_TTL_MS: must be a whole number');
    expect(() => load('half a second')).toThrow('SESSION_CACHE_TTL_MS: must be a whole number');
  });
});
