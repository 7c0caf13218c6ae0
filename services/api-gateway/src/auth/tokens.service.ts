import { createHash, randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { jwtVerify, SignJWT, type JWTHeaderParameters } from 'jose';
import { DomainError, ERROR_CODES, type SignedInSession } from '@am/contracts';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config/gateway.config';

const ISSUER = 'access-manager';
const ALGORITHM = 'HS256';

/** A one-time sign-in token, verified: whose, its id (spent when its step succeeds) and when it expires. */
export interface OneTimeToken {
  userId: string;
  tokenId: string;
  expiresAt: string;
}

/** What a session token says; the directory's session decides whether it still holds, and for whom. */
export interface SessionClaims {
  userId: string;
  sessionId: string;
}

type TokenType = 'mfa' | 'enroll' | 'access';

/**
 * Signed, expiring tokens: a one-time token between the two sign-in steps (or before two-factor
 * enrollment), then the session token. HS256 with a key id in each header, so the key rotates:
 * tokens are signed with AUTH_TOKEN_SECRET and verified with it or one of
 * AUTH_TOKEN_PREVIOUS_SECRETS, which sign nothing new and so stop mattering after one token lifetime.
 */
@Injectable()
export class TokensService {
  private readonly current: { kid: string; key: Uint8Array };
  private readonly byKid: Map<string, Uint8Array>;

  constructor(@Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig) {
    const keys = [config.AUTH_TOKEN_SECRET, ...config.AUTH_TOKEN_PREVIOUS_SECRETS].map((secret) => ({ kid: keyIdOf(secret), key: new TextEncoder().encode(secret) }));
    this.current = keys[0];
    this.byKid = new Map(keys.map((k) => [k.kid, k.key]));
  }

  issueMfaToken(userId: string): Promise<string> {
    return this.sign({ typ: 'mfa' }, userId, this.config.MFA_TOKEN_TTL_SECONDS, randomUUID());
  }

  verifyMfaToken(token: string): Promise<OneTimeToken> {
    return this.verifyOneTime(token, 'mfa', 'mfaToken');
  }

  issueEnrollmentToken(userId: string): Promise<string> {
    return this.sign({ typ: 'enroll' }, userId, this.config.ENROLLMENT_TOKEN_TTL_SECONDS, randomUUID());
  }

  verifyEnrollmentToken(token: string): Promise<OneTimeToken> {
    return this.verifyOneTime(token, 'enroll', 'enrollmentToken');
  }

  /** The session token: names the directory's session, which sign-out revokes. */
  async issueAccessToken(s: SignedInSession): Promise<{ accessToken: string; expiresAt: string }> {
    const ttl = Math.max(1, Math.round((Date.parse(s.expiresAt) - Date.now()) / 1000));
    const accessToken = await this.sign({ typ: 'access', sid: s.sessionId }, s.userId, ttl, randomUUID());
    return { accessToken, expiresAt: s.expiresAt };
  }

  async verifyAccessToken(token: string): Promise<SessionClaims> {
    const claims = await this.verify(token, 'access');
    if (typeof claims.sid !== 'string') throw unauthenticated();
    return { userId: claims.sub, sessionId: claims.sid };
  }

  /** Every key that may have signed a live token, for the CSRF tokens derived from it. */
  get verificationKeys(): string[] {
    return [this.config.AUTH_TOKEN_SECRET, ...this.config.AUTH_TOKEN_PREVIOUS_SECRETS];
  }

  private sign(claims: Record<string, unknown>, sub: string, ttlSeconds: number, jti: string): Promise<string> {
    return new SignJWT(claims)
      .setProtectedHeader({ alg: ALGORITHM, kid: this.current.kid })
      .setSubject(sub)
      .setIssuer(ISSUER)
      .setJti(jti)
      .setIssuedAt()
      .setExpirationTime(`${ttlSeconds}s`)
      .sign(this.current.key);
  }

  private async verifyOneTime(token: string, typ: TokenType, field: string): Promise<OneTimeToken> {
    const claims = await this.verify(token, typ, field);
    return { userId: claims.sub, tokenId: claims.jti, expiresAt: new Date(claims.exp * 1000).toISOString() };
  }

  private async verify(token: string, typ: TokenType, field?: string): Promise<{ sub: string; jti: string; exp: number; sid?: unknown }> {
    const getKey = (header: JWTHeaderParameters) => {
      const key = header.kid ? this.byKid.get(header.kid) : undefined;
      if (!key) throw new Error('unknown key id');
      return key;
    };
    const verified = await jwtVerify(token, getKey, { issuer: ISSUER, algorithms: [ALGORITHM], requiredClaims: ['sub', 'jti', 'exp'] }).catch(() => null);
    const p = verified?.payload;
    if (!p || p.typ !== typ || typeof p.sub !== 'string' || typeof p.jti !== 'string' || typeof p.exp !== 'number') throw unauthenticated(field);
    return { sub: p.sub, jti: p.jti, exp: p.exp, sid: p.sid };
  }
}

function unauthenticated(field?: string): DomainError {
  return new DomainError(ERROR_CODES.UNAUTHENTICATED, field ? `${field} is invalid or expired` : 'The session is invalid or has expired; sign in again', field);
}

/** A key's public id: a hash prefix, so the header names the key without revealing it. */
export function keyIdOf(secret: string): string {
  return createHash('sha256').update(secret).digest('hex').slice(0, 12);
}
