import { MailCatcher, totpCode } from '@am/devstack';
import { testStack } from '../setup/stack';
import { TEST_PASSWORD, TEST_TOTP_SECRET, type TestUser } from './factories';

export interface ApiResponse<T = any> {
  status: number;
  body: T;
}

/** A caller of the public API over real HTTP. */
export class Api {
  constructor(
    readonly token?: string,
    private readonly baseUrl?: string,
  ) {}

  async request<T = any>(method: string, path: string, body?: unknown): Promise<ApiResponse<T>> {
    const res = await fetch(`${this.baseUrl ?? testStack().gatewayUrl}${path}`, {
      method,
      headers: {
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(this.token ? { authorization: `Bearer ${this.token}` } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  }

  get<T = any>(path: string) {
    return this.request<T>('GET', path);
  }

  post<T = any>(path: string, body?: unknown) {
    return this.request<T>('POST', path, body ?? {});
  }
}

export const anonymous = new Api();

/** A call as another system makes it, with an API key (and whatever headers it adds, e.g. X-On-Behalf-Of). */
export async function withKey(key: string, method: string, path: string, o: { body?: unknown; headers?: Record<string, string> } = {}) {
  const res = await fetch(`${testStack().gatewayUrl}${path}`, {
    method,
    headers: { 'x-api-key': key, ...(o.body !== undefined ? { 'content-type': 'application/json' } : {}), ...o.headers },
    body: o.body === undefined ? undefined : JSON.stringify(o.body),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
}

const sessions = new Map<string, Promise<Api>>();

/**
 * Both sign-in steps, as a person does them: password and Statement of Truth, then the TOTP code.
 * A code is accepted once, so like a person a test signs each user in once and keeps the session.
 */
export function signIn(user: TestUser, baseUrl?: string): Promise<Api> {
  const key = `${user.id} ${baseUrl ?? ''}`;
  let session = sessions.get(key);
  if (!session) {
    session = signInFresh(user, baseUrl);
    sessions.set(key, session);
    session.catch(() => sessions.delete(key));
  }
  return session;
}

/** A new sign-in, not shared with other callers (one TOTP code per 30-second step and user). */
export async function signInFresh(user: TestUser, baseUrl?: string, code: string | (() => string) = () => totpCode(TEST_TOTP_SECRET)): Promise<Api> {
  const caller = new Api(undefined, baseUrl);
  const first = await caller.post('/api/v1/auth/sign-in', { userId: user.loginId, password: TEST_PASSWORD, acceptStatementOfTruth: true });
  if (first.status !== 200) throw new Error(`sign-in failed: ${first.status} ${JSON.stringify(first.body)}`);
  // A code read from the clock is read right before it is sent: the password step may take long
  // enough for a 30-second step to pass.
  const second = await caller.post('/api/v1/auth/mfa', { mfaToken: first.body.mfaToken, code: typeof code === 'function' ? code() : code });
  if (second.status !== 200) throw new Error(`mfa failed: ${second.status} ${JSON.stringify(second.body)}`);
  return new Api(second.body.accessToken, baseUrl);
}

/** The SMTP server's mailbox, read through MailDev's JSON API. */
export function mailbox(): MailCatcher {
  const { mailWebUrl } = testStack();
  return new MailCatcher('', mailWebUrl);
}
