import { randomBytes } from 'node:crypto';
import { query, totpCode, type CaughtMessage } from '@am/devstack';
import { testStack } from '../setup/stack';
import { anonymous, Api, mailbox, type ApiResponse } from './api';

/** A person who registers themselves (issue 10), with details no other test uses. */
export interface NewAccount {
  loginId: string;
  displayName: string;
  email: string;
  password: string;
}

export function newAccount(): NewAccount {
  const suffix = randomBytes(4).toString('hex');
  return { loginId: `jane.${suffix}`, displayName: `Jane Registrant ${suffix}`, email: `jane.${suffix}@example.org`, password: `violet tractor ${suffix} sings` };
}

export function register(a: NewAccount): Promise<ApiResponse> {
  return anonymous.post('/api/v1/accounts', { userId: a.loginId, displayName: a.displayName, email: a.email, password: a.password });
}

export function signInStep(loginId: string, password: string): Promise<ApiResponse> {
  return anonymous.post('/api/v1/auth/sign-in', { userId: loginId, password, acceptStatementOfTruth: true });
}

/** Waits for the email with this subject to this address, read from the real SMTP server. */
export function emailTo(address: string, subject: string, also: (m: CaughtMessage) => boolean = () => true): Promise<CaughtMessage> {
  return mailbox().waitForMessage((m) => m.to.some((t) => t.address === address) && m.subject === subject && also(m));
}

/** The token of the single-use link in an email (`.../verify-email#token=<token>`). */
export function linkToken(m: CaughtMessage): string {
  const token = /#token=([A-Za-z0-9_-]{43})/.exec(m.text)?.[1];
  if (!token) throw new Error(`no link token in: ${m.text}`);
  return token;
}

/**
 * The path and fragment of the single-use link in an email (`/verify-email#token=<token>`), to open
 * on the stack under test (the emails link to WEB_BASE_URL).
 */
export function linkPath(m: CaughtMessage): string {
  const link = /https?:\/\/[^\s"'<>]+#token=[A-Za-z0-9_-]{43}/.exec(m.text)?.[0];
  if (!link) throw new Error(`no link in: ${m.text}`);
  const url = new URL(link);
  return url.pathname + url.hash;
}

/** Registers and verifies the email address through the API and the real emails. */
export async function registerVerified(a = newAccount()): Promise<NewAccount> {
  const res = await register(a);
  if (res.status !== 202) throw new Error(`register failed: ${res.status} ${JSON.stringify(res.body)}`);
  const token = linkToken(await emailTo(a.email, 'Verify your email address for Access Manager'));
  const verified = await anonymous.post('/api/v1/accounts/verify-email', { token });
  if (verified.status !== 200) throw new Error(`verify failed: ${verified.status} ${JSON.stringify(verified.body)}`);
  return a;
}

export interface Enrolled {
  secret: string;
  recoveryCodes: string[];
  api: Api;
}

/** Signs a verified account in for the first time: enrolls its authenticator, confirms with a first code. */
export async function enroll(a: NewAccount): Promise<Enrolled> {
  const first = await signInStep(a.loginId, a.password);
  if (first.body?.next !== 'enroll-two-factor') throw new Error(`expected enrollment: ${first.status} ${JSON.stringify(first.body)}`);
  const issued = await anonymous.post('/api/v1/auth/mfa/enroll', { enrollmentToken: first.body.enrollmentToken });
  if (issued.status !== 200) throw new Error(`enroll failed: ${issued.status} ${JSON.stringify(issued.body)}`);
  const confirmed = await anonymous.post('/api/v1/auth/mfa/enroll/confirm', { enrollmentToken: first.body.enrollmentToken, code: totpCode(issued.body.secret) });
  if (confirmed.status !== 200) throw new Error(`confirm failed: ${confirmed.status} ${JSON.stringify(confirmed.body)}`);
  return { secret: issued.body.secret, recoveryCodes: confirmed.body.recoveryCodes, api: new Api(confirmed.body.accessToken) };
}

/** Makes every unused link of the account's user id expire now, as if its lifetime had passed. */
export async function expireLinks(loginId: string): Promise<void> {
  await query(
    testStack().databaseUrl,
    `UPDATE account_tokens SET expires_at = now() - interval '1 second' WHERE used_at IS NULL AND user_id = (SELECT id FROM users WHERE login_id = $1)`,
    [loginId],
  );
}
