import { totpCode } from '@am/devstack';
import { BENCH_PASSWORD, BENCH_TOTP_SECRET } from './seed';
import { closedLoop } from './stats';

/** A signed-in caller of the public API. */
export class Caller {
  private readonly baseUrls: string[];
  private turn = 0;

  /** With several base URLs (gateway instances), each call goes to the next one in turn. */
  constructor(
    baseUrl: string | string[],
    private readonly token: string,
  ) {
    this.baseUrls = typeof baseUrl === 'string' ? [baseUrl] : baseUrl;
  }

  /** The same session, its calls spread over these gateways in turn. */
  across(baseUrls: string[]): Caller {
    return new Caller(baseUrls, this.token);
  }

  private nextUrl(): string {
    return this.baseUrls[this.turn++ % this.baseUrls.length];
  }

  async get<T>(path: string): Promise<T> {
    const res = await fetch(`${this.nextUrl()}${path}`, { headers: { authorization: `Bearer ${this.token}` } });
    const text = await res.text();
    if (res.status !== 200) throw new Error(`GET ${path} answered ${res.status}: ${text}`);
    return JSON.parse(text) as T;
  }

  /** DELETEs; fails unless the answer is `expected`. */
  async delete(path: string, expected = 200): Promise<void> {
    const res = await fetch(`${this.nextUrl()}${path}`, { method: 'DELETE', headers: { authorization: `Bearer ${this.token}` } });
    const text = await res.text();
    if (res.status !== expected) throw new Error(`DELETE ${path} answered ${res.status} (expected ${expected}): ${text}`);
  }

  /** 503 answers that were retried (an overloaded service did not answer the gateway in time). */
  static retried503 = 0;
  /** How many times a call answered 503 is retried (when the caller asks for retries). */
  static maxRetries503 = 3;

  /**
   * POSTs; with `retry503`, a 503 (the gateway's call to a service timed out on an overloaded
   * machine) is retried up to `Caller.maxRetries503` times (three unless a phase raises it), as a client should retry a call that is safe to repeat
   * (a retried approve answers 200 with what was recorded).
   */
  async post<T>(path: string, body: unknown, expected: number, retry503 = false, headers: Record<string, string> = {}): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const res = await fetch(`${this.nextUrl()}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${this.token}`, ...headers },
        body: JSON.stringify(body),
      });
      const text = await res.text();
      if (retry503 && res.status === 503 && attempt <= Caller.maxRetries503) {
        Caller.retried503++;
        continue;
      }
      if (res.status !== expected) throw new Error(`POST ${path} answered ${res.status} (expected ${expected}): ${text}`);
      return JSON.parse(text) as T;
    }
  }
}

/** Both sign-in steps, as a person does them. Each user is signed in once (a TOTP code is accepted once). */
export async function signIn(baseUrl: string, loginId: string): Promise<Caller> {
  const post = async (path: string, body: unknown) => {
    const res = await fetch(`${baseUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const json = (await res.json()) as Record<string, string>;
    if (res.status !== 200) throw new Error(`${path} for ${loginId} answered ${res.status}: ${JSON.stringify(json)}`);
    return json;
  };
  const first = await post('/api/v1/auth/sign-in', { userId: loginId, password: BENCH_PASSWORD, acceptStatementOfTruth: true });
  const second = await post('/api/v1/auth/mfa', { mfaToken: first.mfaToken, code: totpCode(BENCH_TOTP_SECRET) });
  return new Caller(baseUrl, second.accessToken);
}

/** Signs many users in, a few at a time (each sign-in verifies an Argon2id hash). */
export async function signInAll(baseUrl: string, loginIds: string[], concurrency = 4): Promise<Caller[]> {
  const callers: Caller[] = new Array(loginIds.length);
  await closedLoop(loginIds.length, concurrency, async (i) => {
    callers[i] = await signIn(baseUrl, loginIds[i]);
  });
  return callers;
}
