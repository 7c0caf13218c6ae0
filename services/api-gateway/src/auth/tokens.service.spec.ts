import { DomainError } from '@am/contracts';
import type { GatewayConfig } from '../config/gateway.config';
import { TokensService } from './tokens.service';

const OLD = 'the-key-before-rotation-0123456789abcdef';
const NEW = 'the-key-after-rotation-0123456789abcdefgh';
const tokens = (current: string, previous: string[] = []) =>
  new TokensService({ AUTH_TOKEN_SECRET: current, AUTH_TOKEN_PREVIOUS_SECRETS: previous, MFA_TOKEN_TTL_SECONDS: 300, ENROLLMENT_TOKEN_TTL_SECONDS: 900 } as GatewayConfig);
const session = { userId: 'u1', loginId: 'jane', displayName: 'Jane', platformRole: null, sessionId: 's1', expiresAt: new Date(Date.now() + 60_000).toISOString() };

describe('TokensService', () => {
  it('keeps accepting tokens of the previous key after a rotation, and signs new ones with the new key', async () => {
    const { accessToken } = await tokens(OLD).issueAccessToken(session);
    await expect(tokens(NEW, [OLD]).verifyAccessToken(accessToken)).resolves.toEqual({ userId: 'u1', sessionId: 's1' });
    await expect(tokens(NEW).verifyAccessToken(accessToken)).rejects.toBeInstanceOf(DomainError);
    const { accessToken: fresh } = await tokens(NEW, [OLD]).issueAccessToken(session);
    await expect(tokens(OLD).verifyAccessToken(fresh)).rejects.toBeInstanceOf(DomainError);
  });

  it('gives every one-time token its own id, and keeps the token types apart', async () => {
    const t = tokens(NEW);
    const [a, b] = await Promise.all([t.issueMfaToken('u1'), t.issueMfaToken('u1')]);
    const [ida, idb] = await Promise.all([t.verifyMfaToken(a), t.verifyMfaToken(b)]);
    expect(ida.userId).toBe('u1');
    expect(ida.tokenId).not.toBe(idb.tokenId);
    await expect(t.verifyEnrollmentToken(a)).rejects.toMatchObject({ code: 'UNAUTHENTICATED', field: 'enrollmentToken' });
    await expect(t.verifyAccessToken(a)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
  });
});
