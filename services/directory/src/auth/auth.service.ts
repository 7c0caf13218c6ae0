import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type {
  AuthenticatedPrincipal,
  SignedInSession,
  VerifyPasswordRequest,
  VerifyPasswordResult,
  VerifySecondFactorRequest,
} from '@am/contracts';
import { DomainError, ERROR_CODES } from '@am/contracts';
import { AuditRepository } from '../audit/audit.repository';
import { DIRECTORY_CONFIG, type DirectoryConfig } from '../config/directory.config';
import { UsersRepository } from '../users/users.repository';
import { Credentials } from './credentials';
import { CredentialsRepository } from './credentials.repository';

// Hashed once so an unknown user id costs the same time as a wrong password (rule 12).
const DUMMY_HASH = '$argon2id$v=19$m=19456,t=2,p=1$VVUlaj8OXQsAToXBM31mVw$GpkyTOOPfDTt0s2+TfYXs7GWz7cmNzflDY4XMs3oWUI';

/**
 * Sign-in (rule 12): password and the Statement of Truth, then a TOTP code used once. Failures
 * never say which part was wrong; repeated failures lock the login id, known or not.
 */
@Injectable()
export class AuthService {
  constructor(
    @Inject(DIRECTORY_CONFIG) private readonly config: DirectoryConfig,
    private readonly users: UsersRepository,
    private readonly credentials: Credentials,
    private readonly store: CredentialsRepository,
    private readonly audit: AuditRepository,
  ) {}

  async verifyPassword(req: VerifyPasswordRequest): Promise<VerifyPasswordResult> {
    await this.assertNotLocked(req.loginId);
    const user = await this.users.findByLoginId(req.loginId);
    const ok = await this.credentials.verifyPassword(user?.passwordHash ?? DUMMY_HASH, req.password);
    if (!user || !ok) {
      await this.fail(req.loginId, user?.id ?? null, 'password');
      return { ok: false };
    }
    await this.audit.append({
      action: 'auth.password.verified',
      actorId: user.id,
      subjectId: user.id,
      details: { statementOfTruthVersion: req.statementOfTruthVersion },
    });
    return { ok: true, userId: user.id };
  }

  async verifySecondFactor(req: VerifySecondFactorRequest): Promise<SignedInSession> {
    const user = await this.users.findById(req.userId);
    if (!user) throw new DomainError(ERROR_CODES.UNAUTHENTICATED, 'The security code is not valid', 'code');
    await this.assertNotLocked(user.loginId);
    const step = this.credentials.totpStep(user.totpSecret, req.code);
    // A code is accepted once: replaying it (or an older one) fails like a wrong code.
    if (step === null || !(await this.store.consumeTotpStep(user.id, step))) {
      await this.fail(user.loginId, user.id, 'totp');
      throw new DomainError(ERROR_CODES.UNAUTHENTICATED, 'The security code is not valid', 'code');
    }
    await this.store.clearFailures(user.loginId);
    const sessionId = randomUUID();
    const expiresAt = new Date(Date.now() + req.sessionTtlSeconds * 1000);
    await this.store.createSession(sessionId, user.id, expiresAt);
    await this.audit.append({ action: 'auth.sign-in', actorId: user.id, subjectId: user.id, details: { sessionId } });
    return { ...principalOf(user), sessionId, expiresAt: expiresAt.toISOString() };
  }

  /** The principal of a live session; refuses a revoked or expired one. */
  async checkSession(sessionId: string): Promise<AuthenticatedPrincipal> {
    const session = await this.store.findSession(sessionId);
    if (!session || session.revokedAt || session.expiresAt <= new Date()) {
      throw new DomainError(ERROR_CODES.UNAUTHENTICATED, 'The session has ended; sign in again');
    }
    return principalOf(session.user);
  }

  async signOut(sessionId: string): Promise<void> {
    const session = await this.store.findSession(sessionId);
    const { count } = await this.store.revokeSession(sessionId);
    if (session && count === 1) {
      await this.audit.append({ action: 'auth.sign-out', actorId: session.userId, subjectId: session.userId, details: { sessionId } });
    }
  }

  private async assertNotLocked(loginId: string): Promise<void> {
    const throttle = await this.store.findThrottle(loginId);
    if (throttle?.lockedUntil && throttle.lockedUntil > new Date()) {
      throw new DomainError(
        ERROR_CODES.THROTTLED,
        `Too many failed sign-ins: this account is locked until ${throttle.lockedUntil.toISOString()}`,
        undefined,
        { lockedUntil: throttle.lockedUntil.toISOString() },
      );
    }
  }

  private async fail(loginId: string, userId: string | null, factor: 'password' | 'totp'): Promise<void> {
    const { failures, lockedUntil } = await this.store.recordFailure(loginId, this.config.SIGN_IN_MAX_FAILURES, this.config.SIGN_IN_LOCKOUT_SECONDS);
    await this.audit.append({ action: 'auth.sign-in.failed', actorId: userId, subjectId: loginId, details: { factor, failures } });
    if (lockedUntil) await this.audit.append({ action: 'auth.locked', actorId: userId, subjectId: loginId, details: { lockedUntil: lockedUntil.toISOString() } });
  }
}

function principalOf(user: { id: string; loginId: string; displayName: string; platformRole: AuthenticatedPrincipal['platformRole'] }): AuthenticatedPrincipal {
  return { userId: user.id, loginId: user.loginId, displayName: user.displayName, platformRole: user.platformRole };
}
