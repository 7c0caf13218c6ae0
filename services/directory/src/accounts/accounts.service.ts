import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import {
  DomainError,
  ERROR_CODES,
  USER_ID_PATTERN,
  USER_ID_RULE,
  type ForgotPasswordCommand,
  type ForgotUserIdCommand,
  type RegisterAccountCommand,
  type ResetPasswordCommand,
  type VerifyEmailResult,
} from '@am/contracts';
import { AuditRepository } from '../audit/audit.repository';
import { Credentials } from '../auth/credentials';
import { DIRECTORY_CONFIG, type DirectoryConfig } from '../config/directory.config';
import type { AccountTokenPurpose } from '../generated/prisma/client';
import type { Tx } from '../prisma/prisma.service';
import { AccountEmails } from './account-emails';
import { AccountsRepository } from './accounts.repository';
import { assertPasswordPolicy } from './password-policy';
import { LINK_TOKEN_FORMAT, newLinkToken, sha256 } from './secrets';

const HOW_TO_RENEW: Record<AccountTokenPurpose, string> = {
  VERIFY_EMAIL: 'register again with the same user id, email address and password for a new link',
  RESET_PASSWORD: 'ask for a new one with "Forgot password"',
};

/**
 * Self-service accounts (issue 10): registration with a verified email address, and recovery of a
 * forgotten user id or password by email. Nothing here tells whether an email address belongs to
 * an account; only a taken user id is said to be taken, as everywhere.
 */
@Injectable()
export class AccountsService {
  constructor(
    @Inject(DIRECTORY_CONFIG) private readonly config: DirectoryConfig,
    private readonly accounts: AccountsRepository,
    private readonly credentials: Credentials,
    private readonly audit: AuditRepository,
    private readonly emails: AccountEmails,
  ) {}

  /**
   * Registers an account that cannot sign in until its address is verified. When the address is
   * a verified account's already, no account is made and that address is told instead: the answer
   * is the same. Registering again with the same details (or after the link expired) sends a new link.
   */
  async register(cmd: RegisterAccountCommand): Promise<void> {
    if (!USER_ID_PATTERN.test(cmd.loginId)) throw new DomainError(ERROR_CODES.VALIDATION_FAILED, USER_ID_RULE, 'userId');
    assertPasswordPolicy(cmd.password, cmd.loginId);
    // Hashed on every path, so the answer takes as long whether or not the address is registered.
    const passwordHash = await this.credentials.hashPassword(cmd.password);
    const details = { displayName: cmd.displayName, email: cmd.email, passwordHash };

    const existing = await this.accounts.findByLoginIdIgnoringCase(cmd.loginId);
    if (existing && !(await this.mayRegisterAgain(existing, cmd))) {
      throw new DomainError(ERROR_CODES.USER_ID_TAKEN, `The user id ${cmd.loginId} is taken: choose another`, 'userId');
    }

    const owner = await this.accounts.findVerifiedByEmail(cmd.email);
    if (owner) {
      await this.audit.append({ action: 'account.registration.email-in-use', subjectId: owner.id, details: { attemptedUserId: cmd.loginId } });
      await this.emails.queue({
        idempotencyKey: `email-already-registered/${randomUUID()}`,
        to: { email: owner.email, displayName: owner.displayName },
        template: 'email-already-registered',
        data: { loginId: owner.loginId },
      });
      return;
    }

    const token = newLinkToken();
    const expiresAt = new Date(Date.now() + this.config.EMAIL_VERIFICATION_TTL_SECONDS * 1000);
    const { user, tokenId } = await this.accounts
      .inTransaction(async (tx) => {
        const user = existing ? { ...existing, ...details } : await this.accounts.createUnverified({ loginId: cmd.loginId, ...details }, tx);
        if (existing && !(await this.accounts.replaceUnverified(existing.id, details, tx))) throw userIdTaken(cmd.loginId);
        const row = await this.accounts.issueToken({ userId: user.id, purpose: 'VERIFY_EMAIL', tokenHash: sha256(token), expiresAt }, tx);
        await this.audit.append(
          { action: existing ? 'account.registered-again' : 'account.registered', actorId: user.id, subjectId: user.id, details: { tokenId: row.id, expiresAt: expiresAt.toISOString() } },
          tx,
        );
        return { user, tokenId: row.id };
      })
      .catch((err: unknown) => {
        // Two registrations of one user id at once: the second finds it taken.
        if ((err as { code?: string }).code === 'P2002') throw userIdTaken(cmd.loginId);
        throw err;
      });
    // Not quiet: without this email the account is useless, and the caller should try again.
    await this.emails.queue({
      idempotencyKey: `verify-email/${tokenId}`,
      to: { email: user.email, displayName: user.displayName },
      template: 'verify-email',
      data: { loginId: user.loginId, token, expiresAt: expiresAt.toISOString() },
    });
  }

  /**
   * An unverified registration of this user id may be made again by whoever knows its address and
   * password (a lost or expired link), or by anyone once its link has expired unused.
   */
  private async mayRegisterAgain(existing: { id: string; email: string; passwordHash: string; emailVerifiedAt: Date | null }, cmd: RegisterAccountCommand): Promise<boolean> {
    if (existing.emailVerifiedAt) return false;
    if (existing.email.toLowerCase() === cmd.email.toLowerCase() && (await this.credentials.verifyPassword(existing.passwordHash, cmd.password))) return true;
    return !(await this.accounts.hasLiveToken(existing.id, 'VERIFY_EMAIL'));
  }

  /** Uses a verification link once: the account's address is verified, and it may sign in. */
  async verifyEmail(token: string): Promise<VerifyEmailResult> {
    const row = await this.usableToken(token, 'VERIFY_EMAIL');
    await this.accounts
      .inTransaction(async (tx) => {
        if (!(await this.accounts.consumeToken(row.id, tx))) throw invalidToken('VERIFY_EMAIL', 'used');
        await this.accounts.markEmailVerified(row.userId, tx);
        await this.audit.append({ action: 'account.email-verified', actorId: row.userId, subjectId: row.userId, details: { tokenId: row.id } }, tx);
      })
      .catch((err: unknown) => {
        // Another account verified this address first (the partial unique index).
        if ((err as { code?: string }).code === 'P2002') {
          throw new DomainError(
            ERROR_CODES.EMAIL_IN_USE,
            'This email address already belongs to another account: sign in with that account, or use "Forgot user ID" to be reminded of its user id',
            'token',
          );
        }
        throw err;
      });
    return { loginId: row.user.loginId };
  }

  /** Emails the user id of the verified account with this address, if there is one; answers nothing either way. */
  async forgotUserId(cmd: ForgotUserIdCommand): Promise<void> {
    const user = await this.accounts.findVerifiedByEmail(cmd.email);
    if (!user || user.disabledAt) return;
    await this.audit.append({ action: 'account.user-id-reminder.requested', subjectId: user.id });
    await this.emails.queueQuietly({
      idempotencyKey: `user-id-reminder/${randomUUID()}`,
      to: { email: user.email, displayName: user.displayName },
      template: 'user-id-reminder',
      data: { loginId: user.loginId },
    });
  }

  /** Emails a single-use reset link to the account with this user id, if it may sign in; answers nothing either way. */
  async forgotPassword(cmd: ForgotPasswordCommand): Promise<void> {
    const user = await this.accounts.findByLoginIdIgnoringCase(cmd.loginId);
    if (!user || !user.emailVerifiedAt || user.disabledAt) return;
    const token = newLinkToken();
    const expiresAt = new Date(Date.now() + this.config.PASSWORD_RESET_TTL_SECONDS * 1000);
    const tokenId = await this.accounts.inTransaction(async (tx) => {
      const row = await this.accounts.issueToken({ userId: user.id, purpose: 'RESET_PASSWORD', tokenHash: sha256(token), expiresAt }, tx);
      await this.audit.append({ action: 'account.password-reset.requested', subjectId: user.id, details: { tokenId: row.id, expiresAt: expiresAt.toISOString() } }, tx);
      return row.id;
    });
    await this.emails.queueQuietly({
      idempotencyKey: `password-reset/${tokenId}`,
      to: { email: user.email, displayName: user.displayName },
      template: 'password-reset',
      data: { loginId: user.loginId, token, expiresAt: expiresAt.toISOString() },
    });
  }

  /** Uses a reset link once: a new password (under the policy), and every session of the account ends. */
  async resetPassword(cmd: ResetPasswordCommand): Promise<{ loginId: string }> {
    const row = await this.usableToken(cmd.token, 'RESET_PASSWORD');
    if (row.user.disabledAt) throw new DomainError(ERROR_CODES.ACCOUNT_DISABLED, 'This account is disabled: contact the help desk (the Quality Payment Program)');
    // Checked before the link is used, so a refused password leaves the link working.
    assertPasswordPolicy(cmd.password, row.user.loginId);
    const passwordHash = await this.credentials.hashPassword(cmd.password);
    await this.accounts.inTransaction(async (tx: Tx) => {
      if (!(await this.accounts.consumeToken(row.id, tx))) throw invalidToken('RESET_PASSWORD', 'used');
      await this.accounts.setPassword(row.user, passwordHash, tx);
      const sessionsRevoked = await this.accounts.revokeSessions(row.userId, tx);
      await this.audit.append({ action: 'account.password-reset', actorId: row.userId, subjectId: row.userId, details: { tokenId: row.id, sessionsRevoked } }, tx);
    });
    await this.emails.queueQuietly({
      idempotencyKey: `password-changed/${row.id}`,
      to: { email: row.user.email, displayName: row.user.displayName },
      template: 'password-changed',
      data: { loginId: row.user.loginId },
    });
    return { loginId: row.user.loginId };
  }

  /** The token's row when it is a live link of this purpose; refused with the reason otherwise. */
  private async usableToken(token: string, purpose: AccountTokenPurpose) {
    const row = LINK_TOKEN_FORMAT.test(token) ? await this.accounts.findToken(sha256(token)) : null;
    if (!row || row.purpose !== purpose) throw invalidToken(purpose, 'unknown');
    if (row.usedAt) throw invalidToken(purpose, 'used');
    if (row.expiresAt <= new Date()) throw invalidToken(purpose, 'expired');
    return row;
  }
}

function userIdTaken(loginId: string): DomainError {
  return new DomainError(ERROR_CODES.USER_ID_TAKEN, `The user id ${loginId} is taken: choose another`, 'userId');
}

function invalidToken(purpose: AccountTokenPurpose, reason: 'unknown' | 'used' | 'expired'): DomainError {
  const what = reason === 'used' ? 'was used already (or a newer link replaced it)' : reason === 'expired' ? 'has expired' : 'is not valid';
  return new DomainError(ERROR_CODES.INVALID_TOKEN, `This link ${what}: ${HOW_TO_RENEW[purpose]}`, 'token', { reason });
}
