import { Inject, Injectable } from '@nestjs/common';
import { DomainError, ERROR_CODES, proofTarget, type ConfirmEnrollmentCommand, type EnrolledSession, type IssuedTotpSecret, type IssueTotpSecretCommand } from '@am/contracts';
import { CallerProofVerifier } from '@am/service-kit';
import { newRecoveryCodes, recoveryCodeHash } from '../accounts/secrets';
import { AuditRepository } from '../audit/audit.repository';
import { DIRECTORY_CONFIG, type DirectoryConfig } from '../config/directory.config';
import { UsersRepository } from '../users/users.repository';
import { AuthService, spentToken } from './auth.service';
import { Credentials } from './credentials';
import { CredentialsRepository } from './credentials.repository';
import { TotpSecrets } from './totp-secrets';

const ALREADY_ENROLLED = 'Two-factor authentication is set up already: sign in with a code from your authenticator app';

/**
 * Two-factor enrollment (issue 10), for an account that passed the password step without a second
 * factor (new, or reset by the help desk): a TOTP secret is issued (each secret is shown once; a
 * new request replaces an unconfirmed one), a first valid code confirms it, and ten recovery codes
 * are issued, shown once and stored hashed. Confirming also completes the sign-in.
 */
@Injectable()
export class TwoFactorService {
  constructor(
    @Inject(DIRECTORY_CONFIG) private readonly config: DirectoryConfig,
    private readonly users: UsersRepository,
    private readonly credentials: Credentials,
    private readonly store: CredentialsRepository,
    private readonly auth: AuthService,
    private readonly audit: AuditRepository,
    private readonly proofs: CallerProofVerifier,
    private readonly totpSecrets: TotpSecrets,
  ) {}

  async issueSecret(req: IssueTotpSecretCommand): Promise<IssuedTotpSecret> {
    await this.verifyStep(req);
    const user = await this.enrollingUser(req.userId);
    const secret = this.credentials.newTotpSecret();
    // Kept encrypted (issue 14); shown in the clear in this answer only.
    if (!(await this.store.setPendingTotpSecret(user.id, this.totpSecrets.seal(user.id, secret)))) throw new DomainError(ERROR_CODES.ALREADY_ENROLLED, ALREADY_ENROLLED);
    await this.audit.append({ action: 'auth.two-factor.secret-issued', actorId: user.id, subjectId: user.id });
    const issuer = this.config.TOTP_ISSUER;
    return { secret, otpauthUri: this.credentials.otpauthUri(user.loginId, issuer, secret), issuer, accountName: user.loginId };
  }

  async confirm(cmd: ConfirmEnrollmentCommand): Promise<EnrolledSession> {
    await this.verifyStep(cmd);
    const user = await this.enrollingUser(cmd.userId);
    const pending = user.pendingTotpSecret;
    if (!pending) throw new DomainError(ERROR_CODES.VALIDATION_FAILED, 'No secret was issued yet: start the enrollment first (POST /api/v1/auth/mfa/enroll)', 'code');
    const step = this.credentials.totpStep(this.totpSecrets.open(user.id, pending), cmd.code);
    if (step === null) {
      throw new DomainError(ERROR_CODES.UNAUTHENTICATED, 'The security code is not valid: enter the code the authenticator app shows now (check its clock)', 'code');
    }
    const recoveryCodes = newRecoveryCodes();
    const session = await this.store.inTransaction(async (tx) => {
      // The enrollment token is spent with the enrollment it completes (issue 14).
      if (!(await this.store.spendToken(cmd.tokenId, user.id, 'enroll', new Date(cmd.tokenExpiresAt), tx))) throw spentToken('enrollmentToken');
      if (!(await this.store.confirmEnrollment(user.id, pending, step, recoveryCodes.map(recoveryCodeHash), tx))) {
        throw new DomainError(ERROR_CODES.ALREADY_ENROLLED, ALREADY_ENROLLED);
      }
      await this.audit.append({ action: 'auth.two-factor.enrolled', actorId: user.id, subjectId: user.id, details: { recoveryCodes: recoveryCodes.length } }, tx);
      return this.auth.openSession(user, cmd.sessionTtlSeconds, tx);
    });
    return { ...session, recoveryCodes };
  }

  /** The gateway verified the enrollment token and bound this proof to it; a spent token enrolls nothing. */
  private async verifyStep(req: { userId: string; tokenId: string; proof: string }): Promise<void> {
    await this.proofs.verify(req.proof, { action: 'auth.enroll', target: proofTarget.signInToken(req.tokenId), actorId: req.userId });
    if (await this.store.isTokenSpent(req.tokenId)) throw spentToken('enrollmentToken');
  }

  /** The account, when it may enroll: it exists, may sign in, and has no second factor yet. */
  private async enrollingUser(userId: string) {
    const user = await this.users.findById(userId);
    if (!user) throw new DomainError(ERROR_CODES.UNAUTHENTICATED, 'enrollmentToken is invalid or expired', 'enrollmentToken');
    await this.auth.assertMaySignIn(user);
    if (user.totpSecret) throw new DomainError(ERROR_CODES.ALREADY_ENROLLED, ALREADY_ENROLLED);
    return user;
  }
}
