import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type {
  AuthenticatedPrincipal,
  SignedInSession,
  VerifyPasswordRequest,
  VerifyPasswordResult,
  VerifySecondFactorRequest,
} from '@am/contracts';
import { DomainError, ERROR_CODES, proofTarget } from '@am/contracts';
import { CallerProofVerifier } from '@am/service-kit';
import { AuditRepository } from '../audit/audit.repository';
import { DIRECTORY_CONFIG, type DirectoryConfig } from '../config/directory.config';
import type { Tx } from '../prisma/prisma.service';
import { normalizeRecoveryCode, recoveryCodeHash } from '../accounts/secrets';
import { UsersRepository } from '../users/users.repository';
import { Credentials } from './credentials';
import { CredentialsRepository } from './credentials.repository';
import { TotpSecrets } from './totp-secrets';

// Hashed once so an unknown user id costs the same time as a wrong password (rule 12).
const DUMMY_HASH = '$argon2id$v=19$m=19456,t=2,p=1$VVUlaj8OXQsAToXBM31mVw$GpkyTOOPfDTt0s2+TfYXs7GWz7cmNzflDY4XMs3oWUI';

/**
 * Sign-in (rule 12): password and the Statement of Truth, then a TOTP code used once (or one of the
 * account's recovery codes, once). Failures never say which part was wrong; repeated failures lock
 * the login id, known or not. Only after the right password is it said that the account is
 * disabled, or its email address not verified yet, or that it must enroll a second factor first.
 */
@Injectable()
export class AuthService {
  private readonly logger = new Logger(AuthService.name);
  private lastTokenSweep = 0;

  constructor(
    @Inject(DIRECTORY_CONFIG) private readonly config: DirectoryConfig,
    private readonly users: UsersRepository,
    private readonly credentials: Credentials,
    private readonly store: CredentialsRepository,
    private readonly audit: AuditRepository,
    private readonly proofs: CallerProofVerifier,
    private readonly totpSecrets: TotpSecrets,
  ) {}

  async verifyPassword(req: VerifyPasswordRequest): Promise<VerifyPasswordResult> {
    await this.beginAttempt(req.loginId, null);
    const user = await this.users.findByLoginId(req.loginId);
    const ok = await this.credentials.verifyPassword(user?.passwordHash ?? DUMMY_HASH, req.password);
    if (!user || !ok) {
      await this.fail(req.loginId, user?.id ?? null, 'password');
      return { ok: false };
    }
    // The right password: this attempt no longer counts. Earlier failures still do, until the
    // second factor completes the sign-in, so re-entering the password never resets the count.
    await this.store.uncountAttempt(user.loginId);
    await this.assertMaySignIn(user);
    await this.audit.append({
      action: 'auth.password.verified',
      actorId: user.id,
      subjectId: user.id,
      details: { statementOfTruthVersion: req.statementOfTruthVersion },
    });
    return { ok: true, userId: user.id, twoFactorEnrolled: user.totpSecret !== null };
  }

  /** Refuses a disabled account, and one whose email address is not verified yet; audited. */
  async assertMaySignIn(user: { id: string; disabledAt: Date | null; emailVerifiedAt: Date | null }): Promise<void> {
    if (user.disabledAt) {
      await this.audit.append({ action: 'auth.sign-in.refused', actorId: user.id, subjectId: user.id, details: { reason: 'disabled' } });
      throw new DomainError(ERROR_CODES.ACCOUNT_DISABLED, 'This account is disabled: contact the help desk (the Quality Payment Program) to have it enabled');
    }
    if (!user.emailVerifiedAt) {
      await this.audit.append({ action: 'auth.sign-in.refused', actorId: user.id, subjectId: user.id, details: { reason: 'email-not-verified' } });
      throw new DomainError(
        ERROR_CODES.EMAIL_NOT_VERIFIED,
        'Verify your email address first: open the link we emailed you (for a new link, register again with the same user id, email address and password)',
      );
    }
  }

  async verifySecondFactor(req: VerifySecondFactorRequest): Promise<SignedInSession> {
    const field = req.recoveryCode !== undefined ? 'recoveryCode' : 'code';
    // The gateway verified the mfaToken and bound this proof to it: the user is the proof's subject.
    await this.proofs.verify(req.proof, { action: 'auth.second-factor', target: proofTarget.signInToken(req.tokenId), actorId: req.userId });
    if (await this.store.isTokenSpent(req.tokenId)) throw spentToken('mfaToken');
    const user = await this.users.findById(req.userId);
    if (!user) throw new DomainError(ERROR_CODES.UNAUTHENTICATED, 'The security code is not valid', field);
    await this.beginAttempt(user.loginId, user.id);
    // Disabled (or reset by the help desk) between the two steps: the first step's token is no good.
    await this.assertMaySignIn(user);
    if (!user.totpSecret) throw new DomainError(ERROR_CODES.UNAUTHENTICATED, 'Two-factor authentication is not set up for this account: sign in again to set it up', field);
    let recoveryCodesRemaining: number | undefined;
    if (req.recoveryCode !== undefined) {
      const code = normalizeRecoveryCode(req.recoveryCode);
      if (!code || !(await this.store.consumeRecoveryCode(user.id, recoveryCodeHash(code)))) {
        await this.fail(user.loginId, user.id, 'recovery-code');
        throw new DomainError(ERROR_CODES.UNAUTHENTICATED, 'The recovery code is not valid, or was used already', 'recoveryCode');
      }
      recoveryCodesRemaining = await this.store.countRecoveryCodes(user.id);
      await this.audit.append({ action: 'auth.recovery-code.used', actorId: user.id, subjectId: user.id, details: { remaining: recoveryCodesRemaining } });
    } else {
      const step = this.credentials.totpStep(this.totpSecrets.open(user.id, user.totpSecret), req.code ?? '');
      // A code is accepted once: replaying it (or an older one) fails like a wrong code.
      if (step === null || !(await this.store.consumeTotpStep(user.id, step))) {
        await this.fail(user.loginId, user.id, 'totp');
        throw new DomainError(ERROR_CODES.UNAUTHENTICATED, 'The security code is not valid', 'code');
      }
    }
    await this.store.clearFailures(user.loginId);
    // The mfaToken is spent with the session it opens: one token, one session (issue 14).
    const session = await this.store.inTransaction(async (tx) => {
      if (!(await this.store.spendToken(req.tokenId, user.id, 'mfa', new Date(req.tokenExpiresAt), tx))) throw spentToken('mfaToken');
      return this.openSession(user, req.sessionTtlSeconds, tx);
    });
    this.forgetExpiredTokensNowAndThen();
    return recoveryCodesRemaining === undefined ? session : { ...session, recoveryCodesRemaining };
  }

  /** Spent tokens are kept only until they would have expired anyway: swept at most once a minute, off the answer's path. */
  forgetExpiredTokensNowAndThen(): void {
    if (Date.now() - this.lastTokenSweep < 60_000) return;
    this.lastTokenSweep = Date.now();
    this.store.forgetExpiredTokens().catch((err: unknown) => this.logger.warn(`Sweeping spent sign-in tokens failed: ${String(err)}`));
  }

  /** Opens a session for a user who has passed both steps, audited as a sign-in. */
  async openSession(user: Parameters<typeof principalOf>[0], ttlSeconds: number, tx?: Tx): Promise<SignedInSession> {
    const sessionId = randomUUID();
    const expiresAt = new Date(Date.now() + ttlSeconds * 1000);
    await this.store.createSession(sessionId, user.id, expiresAt, tx);
    await this.audit.append({ action: 'auth.sign-in', actorId: user.id, subjectId: user.id, details: { sessionId } }, tx);
    return { ...principalOf(user), sessionId, expiresAt: expiresAt.toISOString() };
  }

  /** The principal of a live session; refuses a revoked or expired one. */
  async checkSession(sessionId: string): Promise<AuthenticatedPrincipal> {
    const session = await this.store.findSession(sessionId);
    // A disabled account's sessions were revoked; checking the account too keeps that true in any order.
    if (!session || session.revokedAt || session.expiresAt <= new Date() || session.user.disabledAt) {
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

  /**
   * Counts this attempt before anything is verified, and refuses it when the login id is locked
   * (rule 12, issue 14): parallel guesses cannot outrun the count.
   */
  private async beginAttempt(loginId: string, userId: string | null): Promise<void> {
    const { lockedUntil, newlyLocked } = await this.store.beginAttempt(loginId, this.config.SIGN_IN_MAX_FAILURES, this.config.SIGN_IN_LOCKOUT_SECONDS);
    if (!lockedUntil) return;
    if (newlyLocked) await this.audit.append({ action: 'auth.locked', actorId: userId, subjectId: loginId, details: { lockedUntil: lockedUntil.toISOString() } });
    throw new DomainError(ERROR_CODES.THROTTLED, `Too many failed sign-ins: this account is locked until ${lockedUntil.toISOString()}`, undefined, {
      lockedUntil: lockedUntil.toISOString(),
    });
  }

  /** A failed attempt (counted when it began): audited, and the lock taken once the limit is reached. */
  private async fail(loginId: string, userId: string | null, factor: 'password' | 'totp' | 'recovery-code'): Promise<void> {
    await this.audit.append({ action: 'auth.sign-in.failed', actorId: userId, subjectId: loginId, details: { factor } });
    const lockedUntil = await this.store.lockIfExhausted(loginId, this.config.SIGN_IN_MAX_FAILURES, this.config.SIGN_IN_LOCKOUT_SECONDS);
    if (lockedUntil) await this.audit.append({ action: 'auth.locked', actorId: userId, subjectId: loginId, details: { lockedUntil: lockedUntil.toISOString() } });
  }
}

/** A one-time sign-in token that completed its step already. */
export function spentToken(field: 'mfaToken' | 'enrollmentToken'): DomainError {
  return new DomainError(ERROR_CODES.UNAUTHENTICATED, `${field} is invalid or expired`, field);
}

export function principalOf(user: { id: string; loginId: string; displayName: string; platformRole: AuthenticatedPrincipal['platformRole'] }): AuthenticatedPrincipal {
  return { userId: user.id, loginId: user.loginId, displayName: user.displayName, platformRole: user.platformRole };
}
