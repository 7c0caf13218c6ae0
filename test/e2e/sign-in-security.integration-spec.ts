// Rule 12 made dependable: lockout after repeated failures (the same for unknown ids), a TOTP
// code accepted once, and sign-out that ends the session for good.
import { totpCode } from '@am/devstack';
import { anonymous, Api, signInFresh } from '../support/api';
import { createUser, TEST_PASSWORD, TEST_TOTP_SECRET } from '../support/factories';

const signInStep = (userId: string, password: string) => anonymous.post('/api/v1/auth/sign-in', { userId, password, acceptStatementOfTruth: true });

describe('sign-in security', () => {
  it('locks a login id after 5 failures, even against the right password, and the same for an unknown id', async () => {
    const user = await createUser();
    for (const loginId of [user.loginId, `nobody.${user.loginId}`]) {
      for (let i = 0; i < 5; i++) expect((await signInStep(loginId, 'wrong-password')).status).toBe(401);
      const locked = await signInStep(loginId, TEST_PASSWORD);
      expect(locked.status).toBe(429);
      expect(locked.body.error.code).toBe('THROTTLED');
      expect(locked.body.error.message).toMatch(/^Too many failed sign-ins: this account is locked until /);
    }
  });

  it('accepts a security code once', async () => {
    const user = await createUser();
    const code = totpCode(TEST_TOTP_SECRET);
    await signInFresh(user, undefined, code);
    const first = await signInStep(user.loginId, TEST_PASSWORD);
    const replay = await anonymous.post('/api/v1/auth/mfa', { mfaToken: first.body.mfaToken, code });
    expect(replay.status).toBe(401);
    expect(replay.body.error).toMatchObject({ code: 'UNAUTHENTICATED', field: 'code' });
  });

  it('ends the session on sign-out: the token is refused from then on', async () => {
    const user = await createUser();
    const api = await signInFresh(user);
    expect((await api.get('/api/v1/me')).status).toBe(200);
    expect((await api.post('/api/v1/auth/sign-out')).status).toBe(204);
    const after = await api.get('/api/v1/me');
    expect(after.status).toBe(401);
    expect(after.body.error.message).toBe('The session has ended; sign in again');
    expect((await new Api().post('/api/v1/auth/sign-out')).status).toBe(401);
  });
});
