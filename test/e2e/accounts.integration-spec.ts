// Issue 10 through the gateway on the real stack: register -> verify -> enroll -> sign in, reading
// the real emails from the SMTP server; single-use links refused when reused or expired; answers
// that never tell whether an account exists; rate limits; the help desk locking an account out.
import { query, totpCode, waitFor } from '@am/devstack';
import { testStack } from '../setup/stack';
import { anonymous, Api, mailbox, signIn, signInFresh } from '../support/api';
import { emailTo, enroll, expireLinks, linkToken, newAccount, register, registerVerified, signInStep } from '../support/accounts';
import { createUser, TEST_PASSWORD } from '../support/factories';
import { refusal, REVOCATION_BOUND_MS, SCHEDULING_MARGIN_MS } from '../support/sessions';
import { recordHistoryIfAsked, temporalClient } from '../support/temporal';

const db = () => testStack().databaseUrl;
const VERIFY_SUBJECT = 'Verify your email address for Access Manager';
const RESET_SUBJECT = 'Reset your Access Manager password';

async function auditActions(loginId: string): Promise<string[]> {
  const rows = await query<{ action: string }>(db(), `SELECT action FROM audit_events WHERE subject_id = (SELECT id::text FROM users WHERE login_id = $1) ORDER BY id`, [loginId]);
  return rows.map((r) => r.action);
}

describe('register, verify, enroll, sign in', () => {
  it('takes a new person from registration to a signed-in session with two-factor and recovery codes', async () => {
    const a = newAccount();
    const registered = await register(a);
    expect(registered).toEqual({ status: 202, body: { message: 'Check your email to finish registering: we sent a message to the address you gave.' } });

    // Not verified yet: the right password is told so, and nothing else.
    const early = await signInStep(a.loginId, a.password);
    expect(early.status).toBe(403);
    expect(early.body.error.code).toBe('EMAIL_NOT_VERIFIED');

    const mail = await emailTo(a.email, VERIFY_SUBJECT);
    expect(mail.text).toContain(`registered the user id ${a.loginId}`);
    expect(mail.text).toContain('QPP@cms.hhs.gov');
    expect(mail.html).toContain('/verify-email#token');
    const token = linkToken(mail);
    const verified = await anonymous.post('/api/v1/accounts/verify-email', { token });
    expect(verified).toEqual({ status: 200, body: { userId: a.loginId, message: 'Your email address is verified. Sign in to set up two-factor authentication.' } });
    // The link works once.
    const reused = await anonymous.post('/api/v1/accounts/verify-email', { token });
    expect(reused.status).toBe(400);
    expect(reused.body.error).toMatchObject({ code: 'INVALID_TOKEN', field: 'token', details: { reason: 'used' } });

    // First sign-in: the password step asks for enrollment instead of a code.
    const first = await signInStep(a.loginId, a.password);
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ next: 'enroll-two-factor', enrollmentToken: expect.any(String) });
    expect((await anonymous.post('/api/v1/auth/mfa', { mfaToken: first.body.enrollmentToken, code: '123456' })).status).toBe(401);

    const issued = await anonymous.post('/api/v1/auth/mfa/enroll', { enrollmentToken: first.body.enrollmentToken });
    expect(issued.status).toBe(200);
    expect(issued.body).toEqual({
      secret: expect.stringMatching(/^[A-Z2-7]{32}$/),
      otpauthUri: expect.stringMatching(/^otpauth:\/\/totp\/Access%20Manager:jane\.[0-9a-f]{8}\?secret=[A-Z2-7]{32}&/),
      qrCode: expect.stringMatching(/^data:image\/png;base64,[A-Za-z0-9+/]+=*$/),
      issuer: 'Access Manager',
      accountName: a.loginId,
    });
    expect(issued.body.otpauthUri).toContain(`secret=${issued.body.secret}`);
    const png = Buffer.from(issued.body.qrCode.split(',')[1], 'base64');
    expect(png.subarray(1, 4).toString()).toBe('PNG');

    const wrong = await anonymous.post('/api/v1/auth/mfa/enroll/confirm', { enrollmentToken: first.body.enrollmentToken, code: totpCode('JBSWY3DPEHPK3PXP') });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error.field).toBe('code');

    const confirmed = await anonymous.post('/api/v1/auth/mfa/enroll/confirm', { enrollmentToken: first.body.enrollmentToken, code: totpCode(issued.body.secret) });
    expect(confirmed.status).toBe(200);
    expect(confirmed.body).toMatchObject({ accessToken: expect.any(String), csrfToken: expect.any(String), user: { loginId: a.loginId, email: a.email, displayName: a.displayName } });
    const codes: string[] = confirmed.body.recoveryCodes;
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    expect((await new Api(confirmed.body.accessToken).get('/api/v1/me')).status).toBe(200);
    // Enrolled once: the enrollment token was spent with the enrollment (issue 14), so it cannot issue another secret.
    expect((await anonymous.post('/api/v1/auth/mfa/enroll', { enrollmentToken: first.body.enrollmentToken })).body.error).toMatchObject({ code: 'UNAUTHENTICATED', field: 'enrollmentToken' });
    // Recovery codes are kept only as hashes.
    const stored = await query<{ code_hash: string }>(db(), `SELECT code_hash FROM recovery_codes WHERE user_id = (SELECT id FROM users WHERE login_id = $1)`, [a.loginId]);
    expect(stored).toHaveLength(10);
    for (const { code_hash } of stored) expect(codes.map((c) => c.replace(/-/g, ''))).not.toContain(code_hash);

    // Signing in again: with the authenticator (the next step's code; the confirming one is used)...
    const again = await signInStep(a.loginId, a.password);
    expect(again.body.next).toBe('mfa');
    const withCode = await anonymous.post('/api/v1/auth/mfa', { mfaToken: again.body.mfaToken, code: totpCode(issued.body.secret, Date.now() + 30_000) });
    expect(withCode.status).toBe(200);
    expect(withCode.body).not.toHaveProperty('recoveryCodesRemaining');

    // ... or with a recovery code instead, typed loosely, once.
    const lost = await signInStep(a.loginId, a.password);
    const recovered = await anonymous.post('/api/v1/auth/mfa', { mfaToken: lost.body.mfaToken, recoveryCode: ` ${codes[3].toLowerCase()} ` });
    expect(recovered.status).toBe(200);
    expect(recovered.body.recoveryCodesRemaining).toBe(9);
    // The mfaToken opened its session and is spent (issue 14); with a new one, the used code is refused.
    const spent = await anonymous.post('/api/v1/auth/mfa', { mfaToken: lost.body.mfaToken, recoveryCode: codes[4] });
    expect(spent.body.error).toMatchObject({ code: 'UNAUTHENTICATED', field: 'mfaToken' });
    const lostAgain = await signInStep(a.loginId, a.password);
    const replay = await anonymous.post('/api/v1/auth/mfa', { mfaToken: lostAgain.body.mfaToken, recoveryCode: codes[3] });
    expect(replay.status).toBe(401);
    expect(replay.body.error).toMatchObject({ code: 'UNAUTHENTICATED', field: 'recoveryCode' });
    const both = await anonymous.post('/api/v1/auth/mfa', { mfaToken: lostAgain.body.mfaToken, code: '123456', recoveryCode: codes[4] });
    expect(both.status).toBe(400);

    expect(await auditActions(a.loginId)).toEqual(
      expect.arrayContaining(['account.registered', 'account.email-verified', 'auth.two-factor.secret-issued', 'auth.two-factor.enrolled', 'auth.recovery-code.used', 'auth.sign-in']),
    );

    // The email was sent through a workflow that knows only its ledger key; once sent, the ledger
    // keeps the email without its token.
    const [row] = await query<{ id: string }>(db(), `SELECT t.id FROM account_tokens t JOIN users u ON u.id = t.user_id WHERE u.login_id = $1 AND t.purpose = 'VERIFY_EMAIL'`, [a.loginId]);
    const { client, close } = await temporalClient();
    try {
      const workflowId = `account-email-verify-email/${row.id}`;
      const payloads = payloadTexts(await client.workflow.getHandle(workflowId).fetchHistory());
      expect(payloads.some((t) => t.includes(`"idempotencyKey":"verify-email/${row.id}"`))).toBe(true);
      expect(payloads.join('\n')).not.toContain(token);
      await recordHistoryIfAsked(client, workflowId, 'account-email');
    } finally {
      await close();
    }
    const ledger = await waitFor('the verification email marked SENT', async () => {
      const [r] = await query<{ text: string; html: string; state: string }>(db(), `SELECT text, html, state FROM notifications.email_ledger WHERE to_email = $1`, [a.email]);
      return r?.state === 'SENT' ? r : undefined;
    });
    expect(ledger.text + ledger.html).not.toContain(token);
  });

  it('refuses an expired verification link, and sends a new one to whoever registers again with the same details', async () => {
    const a = newAccount();
    await register(a);
    const first = linkToken(await emailTo(a.email, VERIFY_SUBJECT));
    await expireLinks(a.loginId);
    const expired = await anonymous.post('/api/v1/accounts/verify-email', { token: first });
    expect(expired.status).toBe(400);
    expect(expired.body.error).toMatchObject({ code: 'INVALID_TOKEN', details: { reason: 'expired' } });
    expect(expired.body.error.message).toMatch(/^This link has expired: register again/);

    expect((await register(a)).status).toBe(202);
    const second = linkToken(await emailTo(a.email, VERIFY_SUBJECT, (m) => !m.text.includes(first)));
    expect(second).not.toBe(first);
    expect((await anonymous.post('/api/v1/accounts/verify-email', { token: second })).status).toBe(200);
    expect((await anonymous.post('/api/v1/accounts/verify-email', { token: 'x'.repeat(43) })).body.error.details).toEqual({ reason: 'unknown' });
  });

  it('refuses a taken user id, and passwords that break the policy, naming the field and the rule', async () => {
    const existing = await createUser();
    const taken = await register({ ...newAccount(), loginId: existing.loginId });
    expect(taken.status).toBe(409);
    expect(taken.body.error).toMatchObject({ code: 'USER_ID_TAKEN', field: 'userId' });

    const a = newAccount();
    const cases: [string, string][] = [
      ['Sh0rt!pass', 'min-length'],
      ['qwerty123456', 'common'],
      [`my ${a.loginId.toUpperCase()} secret`, 'contains-user-id'],
    ];
    for (const [password, rule] of cases) {
      const res = await register({ ...a, password });
      expect({ password, status: res.status, field: res.body.error?.field, rule: res.body.error?.details?.rule }).toEqual({ password, status: 400, field: 'password', rule });
    }
    const badId = await register({ ...a, loginId: 'Jane Doe' });
    expect(badId.body.error).toMatchObject({ code: 'VALIDATION_FAILED', field: 'userId' });
    const unknownField = await anonymous.post('/api/v1/accounts', { userId: a.loginId, displayName: 'x', email: a.email, password: a.password, admin: true });
    expect(unknownField.status).toBe(400);
    expect(unknownField.body.error.field).toBe('admin');
  });
});

describe('answers that do not tell whether an account exists', () => {
  it('registers an address that already has an account with the same answer, and tells only that address', async () => {
    const owner = await createUser();
    const fresh = await register(newAccount());
    const a = { ...newAccount(), email: owner.email.toUpperCase() };
    const again = await register(a);
    expect(again).toEqual(fresh);
    const told = await emailTo(owner.email, 'You already have an Access Manager account');
    expect(told.text).toContain(`already belongs to the account with the user id ${owner.loginId}`);
    expect(await query(db(), 'SELECT 1 FROM users WHERE login_id = $1', [a.loginId])).toEqual([]);
  });

  it('answers "forgot user id" alike for a known and an unknown address, and emails the user id to the known one', async () => {
    const user = await createUser();
    const unknown = await anonymous.post('/api/v1/accounts/forgot-user-id', { email: `nobody.${user.loginId}@example.com` });
    const known = await anonymous.post('/api/v1/accounts/forgot-user-id', { email: user.email });
    expect(known).toEqual(unknown);
    expect(known).toEqual({ status: 202, body: { message: 'If an account uses this email address, its user id is on its way there.' } });
    const mail = await emailTo(user.email, 'Your Access Manager user id');
    expect(mail.text).toContain(`\n\n${user.loginId}\n\n`);
    const toUnknown = (await mailbox().messages()).filter((m) => m.to.some((t) => t.address === `nobody.${user.loginId}@example.com`));
    expect(toUnknown).toEqual([]);
  });

  it('resets a password by a single-use emailed link: the policy holds, every session ends, reuse and expiry are refused', async () => {
    const user = await createUser();
    const session = await signInFresh(user);
    const unknown = await anonymous.post('/api/v1/accounts/forgot-password', { userId: `nobody.${user.loginId}` });
    const known = await anonymous.post('/api/v1/accounts/forgot-password', { userId: user.loginId });
    expect(known).toEqual(unknown);
    expect(known.status).toBe(202);

    const mail = await emailTo(user.email, RESET_SUBJECT);
    expect(mail.text).toContain('/reset-password#token=');
    const token = linkToken(mail);
    const weak = await anonymous.post('/api/v1/accounts/reset-password', { token, password: 'password1234' });
    expect(weak.status).toBe(400);
    expect(weak.body.error).toMatchObject({ field: 'password', details: { rule: 'common' } });

    const newPassword = 'a brand new passphrase for the test';
    const reset = await anonymous.post('/api/v1/accounts/reset-password', { token, password: newPassword });
    const resetAnswered = performance.now();
    expect(reset).toEqual({ status: 200, body: { userId: user.loginId, message: expect.stringContaining('Sign in with the new password') } });
    // Every gateway instance refuses the session within 1 s (it trusts a session check that long).
    expect((await refusal(session, resetAnswered)).ms).toBeLessThanOrEqual(REVOCATION_BOUND_MS + SCHEDULING_MARGIN_MS);
    expect((await signInStep(user.loginId, TEST_PASSWORD)).status).toBe(401);
    expect((await signInStep(user.loginId, newPassword)).body.next).toBe('mfa');
    const reused = await anonymous.post('/api/v1/accounts/reset-password', { token, password: 'yet another long passphrase' });
    expect(reused.body.error).toMatchObject({ code: 'INVALID_TOKEN', details: { reason: 'used' } });
    await emailTo(user.email, 'Your Access Manager password was changed');

    await anonymous.post('/api/v1/accounts/forgot-password', { userId: user.loginId });
    const second = linkToken(await emailTo(user.email, RESET_SUBJECT, (m) => !m.text.includes(token)));
    await expireLinks(user.loginId);
    const expired = await anonymous.post('/api/v1/accounts/reset-password', { token: second, password: 'yet another long passphrase' });
    expect(expired.body.error).toMatchObject({ code: 'INVALID_TOKEN', details: { reason: 'expired' } });
    expect(await auditActions(user.loginId)).toEqual(expect.arrayContaining(['account.password-reset.requested', 'account.password-reset']));
  });

  it('rate-limits "forgot password" per user id, known or not: 429 with Retry-After', async () => {
    const userId = `nobody.${Date.now()}`;
    const statuses: number[] = [];
    let last: Response | undefined;
    for (let i = 0; i < 4; i++) {
      last = await fetch(`${testStack().gatewayUrl}/api/v1/accounts/forgot-password`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ userId }) });
      statuses.push(last.status);
    }
    expect(statuses).toEqual([202, 202, 202, 429]);
    expect(Number(last!.headers.get('retry-after'))).toBeGreaterThan(0);
    const body = (await last!.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('THROTTLED');
    expect(body.error.message).toMatch(/^Too many requests for this user id: retry after \d+ s$/);
  });
});

describe('the help desk', () => {
  it('disables an account (its sessions end, it cannot sign in) and enables it again, each audited with the reason', async () => {
    const helpDesk = await signIn(await createUser({ platformRole: 'HELP_DESK' }));
    const user = await createUser();
    const session = await signInFresh(user);
    expect((await session.get('/api/v1/me')).status).toBe(200);
    await anonymous.post('/api/v1/accounts/forgot-password', { userId: user.loginId });
    const resetLink = linkToken(await emailTo(user.email, RESET_SUBJECT));

    expect((await helpDesk.post(`/api/v1/users/${user.loginId}/disable`, {})).body.error).toMatchObject({ code: 'VALIDATION_FAILED', field: 'reason' });
    const disabled = await helpDesk.post(`/api/v1/users/${user.loginId}/disable`, { reason: 'Left the practice (ticket 4711)' });
    const disabledAnswered = performance.now();
    expect(disabled.status).toBe(200);
    expect(disabled.body).toMatchObject({ id: user.id, loginId: user.loginId, disabled: true, emailVerified: true, twoFactorEnrolled: true });

    const after = await refusal(session, disabledAnswered);
    expect(after.ms).toBeLessThanOrEqual(REVOCATION_BOUND_MS + SCHEDULING_MARGIN_MS);
    expect(after.response.body.error.message).toBe('The session has ended; sign in again');
    const locked = await signInStep(user.loginId, TEST_PASSWORD);
    expect(locked.status).toBe(403);
    expect(locked.body.error.code).toBe('ACCOUNT_DISABLED');
    expect((await signInStep(user.loginId, 'wrong password here')).status).toBe(401);
    // Neither recovery reaches a disabled account (with the same answers), nor a link sent before.
    expect((await anonymous.post('/api/v1/accounts/forgot-password', { userId: user.loginId })).status).toBe(202);
    const lateReset = await anonymous.post('/api/v1/accounts/reset-password', { token: resetLink, password: 'a passphrase to get back in' });
    expect(lateReset.status).toBe(403);
    expect(lateReset.body.error.code).toBe('ACCOUNT_DISABLED');
    await emailTo(user.email, 'Your Access Manager account was disabled');

    const again = await helpDesk.post(`/api/v1/users/${user.id}/disable`, { reason: 'clicked twice' });
    expect(again.body.disabledAt).toBe(disabled.body.disabledAt);
    const enabled = await helpDesk.post(`/api/v1/users/${user.loginId}/enable`, { reason: 'Back at the practice (ticket 4712)' });
    expect(enabled.body).toMatchObject({ disabled: false, disabledAt: null });
    expect((await signInStep(user.loginId, TEST_PASSWORD)).body.next).toBe('mfa');

    const events = await query<{ action: string; actor_id: string; details: { reason: string; sessionsRevoked?: number } }>(
      db(),
      `SELECT action, actor_id, details FROM audit_events WHERE subject_id = $1 AND action IN ('account.disabled', 'account.enabled') ORDER BY id`,
      [user.id],
    );
    expect(events.map((e) => [e.action, e.details.reason])).toEqual([
      ['account.disabled', 'Left the practice (ticket 4711)'],
      ['account.enabled', 'Back at the practice (ticket 4712)'],
    ]);
    expect(events[0].details.sessionsRevoked).toBe(1);
  });

  it('resets a registered account’s two-factor: old codes stop working and the next sign-in enrolls anew', async () => {
    const helpDesk = await signIn(await createUser({ platformRole: 'HELP_DESK' }));
    const a = await registerVerified();
    const { recoveryCodes, api } = await enroll(a);
    const reset = await helpDesk.post(`/api/v1/users/${a.loginId}/reset-two-factor`, { reason: 'Lost phone, identity confirmed by phone' });
    const resetAnswered = performance.now();
    expect(reset.body).toMatchObject({ twoFactorEnrolled: false, recoveryCodesRemaining: 0 });
    expect((await refusal(api, resetAnswered)).ms).toBeLessThanOrEqual(REVOCATION_BOUND_MS + SCHEDULING_MARGIN_MS);
    const next = await signInStep(a.loginId, a.password);
    expect(next.body.next).toBe('enroll-two-factor');
    await emailTo(a.email, 'The two-factor authentication of your Access Manager account was reset');
    expect(await query(db(), 'SELECT 1 FROM recovery_codes WHERE user_id = $1', [reset.body.id])).toEqual([]);
    expect(recoveryCodes).toHaveLength(10);
  });

  it('is the only one who may, and not on its own account', async () => {
    const helpDeskUser = await createUser({ platformRole: 'HELP_DESK' });
    const helpDesk = await signIn(helpDeskUser);
    const someone = await signIn(await createUser());
    const target = await createUser();
    expect((await someone.post(`/api/v1/users/${target.loginId}/disable`, { reason: 'not mine to do' })).status).toBe(403);
    expect((await someone.get(`/api/v1/users/${target.loginId}`)).status).toBe(403);
    expect((await helpDesk.post(`/api/v1/users/${helpDeskUser.loginId}/disable`, { reason: 'oops' })).status).toBe(403);
    expect((await helpDesk.get('/api/v1/users/nobody.at.all')).status).toBe(404);
    expect((await helpDesk.get(`/api/v1/users/${target.loginId}`)).body).toMatchObject({ loginId: target.loginId, disabled: false });
  });
});

/** Every payload of a workflow history (inputs, results, activity arguments), decoded as text. */
function payloadTexts(history: unknown): string[] {
  const texts: string[] = [];
  const walk = (v: unknown): void => {
    if (v instanceof Uint8Array) texts.push(Buffer.from(v).toString('utf8'));
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') Object.values(v).forEach(walk);
  };
  walk(history);
  return texts.filter((t) => t.includes('{') || t.includes('"'));
}
