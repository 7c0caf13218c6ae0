import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { DomainError, ERROR_CODES, type AuthenticatedPrincipal, type PlatformRole, type SignedInSession } from '@am/contracts';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config/gateway.config';

interface MfaClaims {
  sub: string;
  typ: 'mfa';
}
/** Between the password step and two-factor enrollment, for an account without a second factor. */
interface EnrollmentClaims {
  sub: string;
  typ: 'enroll';
}
interface AccessClaims {
  sub: string;
  typ: 'access';
  sid: string;
  login: string;
  name: string;
  prole: PlatformRole | null;
}

/** Signed, expiring tokens: a short one between the two sign-in steps, then the session token. */
@Injectable()
export class TokensService {
  constructor(
    private readonly jwt: JwtService,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {}

  issueMfaToken(userId: string): Promise<string> {
    const claims: MfaClaims = { sub: userId, typ: 'mfa' };
    return this.jwt.signAsync(claims, { expiresIn: this.config.MFA_TOKEN_TTL_SECONDS });
  }

  async verifyMfaToken(token: string): Promise<string> {
    const claims = await this.verify<MfaClaims>(token, 'mfa', 'mfaToken');
    return claims.sub;
  }

  issueEnrollmentToken(userId: string): Promise<string> {
    const claims: EnrollmentClaims = { sub: userId, typ: 'enroll' };
    return this.jwt.signAsync(claims, { expiresIn: this.config.ENROLLMENT_TOKEN_TTL_SECONDS });
  }

  async verifyEnrollmentToken(token: string): Promise<string> {
    return (await this.verify<EnrollmentClaims>(token, 'enroll', 'enrollmentToken')).sub;
  }

  /** The session token: names the directory's session, which sign-out revokes. */
  async issueAccessToken(s: SignedInSession): Promise<{ accessToken: string; expiresAt: string }> {
    const claims: AccessClaims = { sub: s.userId, typ: 'access', sid: s.sessionId, login: s.loginId, name: s.displayName, prole: s.platformRole };
    const ttl = Math.max(1, Math.round((Date.parse(s.expiresAt) - Date.now()) / 1000));
    const accessToken = await this.jwt.signAsync(claims, { expiresIn: ttl });
    return { accessToken, expiresAt: s.expiresAt };
  }

  async verifyAccessToken(token: string): Promise<AuthenticatedPrincipal & { sessionId: string }> {
    const c = await this.verify<AccessClaims>(token, 'access');
    return { userId: c.sub, loginId: c.login, displayName: c.name, platformRole: c.prole, sessionId: c.sid };
  }

  private async verify<T extends { typ: string }>(token: string, typ: T['typ'], field?: string): Promise<T> {
    const claims = await this.jwt.verifyAsync<T>(token).catch(() => null);
    if (!claims || claims.typ !== typ) {
      throw new DomainError(ERROR_CODES.UNAUTHENTICATED, field ? `${field} is invalid or expired` : 'The session is invalid or has expired; sign in again', field);
    }
    return claims;
  }
}
