// Issue 14: the caller is the session's user, and one-time tokens work once.
import { createHmac } from 'node:crypto';
import { totpCode } from '@am/devstack';
import { testStack } from '../setup/stack';
import { enroll, newAccount, registerVerified, signInStep } from '../support/accounts';
import { anonymous, Api, signIn } from '../support/api';
import { createUser, TEST_PASSWORD, TEST_TOTP_SECRET } from '../support/factories';

const b64url = (v: Buffer | string) => Buffer.from(v).toString('base64url');
const decode = (part: string) => JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));

/** The token with claims changed and signed again with the HS256 key the stack runs with (as an insider who has it would). */
function resigned(token: string, change: (claims: Record<string, unknown>) => void): string {
  const [h, p] = token.split('.');
  const header = decode(h);
  const claims = decode(p);
  change(claims);
  const body = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}`;
  const secret = testStack().serviceEnv.AUTH_TOKEN_SECRET!;
  return `${body}.${createHmac('sha256', secret).update(body).digest('base64url')}`;
}

describe('sessions and one-time tokens', () => {
  it('refuses a session token whose subject is not the session’s user (401)', async () => {
    const [alice, bob] = await Promise.all([createUser(), createUser({ platformRole: 'HELP_DESK' })]);
    const asAlice = await signIn(alice);
    expect((await asAlice.get('/api/v1/me')).body.id).toBe(alice.id);
    const asBob = new Api(resigned(asAlice.token!, (c) => Object.assign(c, { sub: bob.id, prole: 'HELP_DESK' })));
    const me = await asBob.get('/api/v1/me');
    expect(me.status).toBe(401);
    expect(me.body.error.code).toBe('UNAUTHENTICATED');
    // The platform role comes from the directory too: a token claiming the help desk role is not the help desk.
    const promoted = new Api(resigned(asAlice.token!, (c) => Object.assign(c, { prole: 'HELP_DESK' })));
    const keys = await promoted.get('/api/v1/api-keys');
    expect(keys.status).toBe(403);
    expect(keys.body.error.message).toBe('Only the help desk manages API keys');
  });

  it('opens one session per mfaToken: the same token with a later valid code is refused', async () => {
    const user = await createUser();
    const first = await signInStep(user.loginId, TEST_PASSWORD);
    expect(first.status).toBe(200);
    const opened = await anonymous.post('/api/v1/auth/mfa', { mfaToken: first.body.mfaToken, code: totpCode(TEST_TOTP_SECRET) });
    expect(opened.status).toBe(200);
    // The next 30-second step's code is valid (one step of drift is allowed) and newer than the one used.
    const again = await anonymous.post('/api/v1/auth/mfa', { mfaToken: first.body.mfaToken, code: totpCode(TEST_TOTP_SECRET, Date.now() + 30_000) });
    expect(again.status).toBe(401);
    expect(again.body.error).toMatchObject({ code: 'UNAUTHENTICATED', field: 'mfaToken' });
  });

  it('an enrollment token is spent once it enrolled: after a help desk reset it cannot enroll another authenticator', async () => {
    const account = await registerVerified(newAccount());
    const first = await signInStep(account.loginId, account.password);
    const enrollmentToken = first.body.enrollmentToken as string;
    const issued = await anonymous.post('/api/v1/auth/mfa/enroll', { enrollmentToken });
    const confirmed = await anonymous.post('/api/v1/auth/mfa/enroll/confirm', { enrollmentToken, code: totpCode(issued.body.secret) });
    expect(confirmed.status).toBe(200);
    const helpDesk = await signIn(await createUser({ platformRole: 'HELP_DESK' }));
    expect((await helpDesk.post(`/api/v1/users/${account.loginId}/reset-two-factor`, { reason: 'lost phone (ticket 99)' })).status).toBe(200);
    // Whoever kept the old token cannot set up their own authenticator with it.
    const reused = await anonymous.post('/api/v1/auth/mfa/enroll', { enrollmentToken });
    expect(reused.status).toBe(401);
    expect(reused.body.error).toMatchObject({ code: 'UNAUTHENTICATED', field: 'enrollmentToken' });
    // The account's owner signs in again and enrolls.
    expect((await enroll(account)).recoveryCodes).toHaveLength(10);
  });
});
