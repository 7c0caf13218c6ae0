import { Injectable } from '@nestjs/common';
import { CallerProofVerifier } from '@am/service-kit';
import { DomainError, ERROR_CODES, proofTarget, type AccountAdminCommand, type AccountEmailTemplate, type AccountRef, type AccountView } from '@am/contracts';
import { AuditRepository } from '../audit/audit.repository';
import type { Tx } from '../prisma/prisma.service';
import { AccountEmails } from './account-emails';
import { AccountsRepository, type AccountRow } from './accounts.repository';

type Action = 'account.disabled' | 'account.enabled' | 'account.two-factor-reset';
const NOTICE_OF: Record<Action, Extract<AccountEmailTemplate, 'account-disabled' | 'account-enabled' | 'two-factor-reset'>> = {
  'account.disabled': 'account-disabled',
  'account.enabled': 'account-enabled',
  'account.two-factor-reset': 'two-factor-reset',
};

const PROOF_ACTION_OF = { 'account.disabled': 'account.disable', 'account.enabled': 'account.enable', 'account.two-factor-reset': 'account.reset-two-factor' } as const;

/**
 * The help desk's hold on accounts (issue 10): disable and enable one, reset its two-factor. Each
 * is audited with the reason given, ends the account's sessions where it takes access away, and
 * tells the account's owner by email. Doing it again changes nothing and audits nothing.
 */
@Injectable()
export class AccountAdminService {
  constructor(
    private readonly accounts: AccountsRepository,
    private readonly audit: AuditRepository,
    private readonly emails: AccountEmails,
    private readonly proofs: CallerProofVerifier,
  ) {}

  async get(ref: AccountRef): Promise<AccountView> {
    await this.requireHelpDesk(ref.viewerId);
    return view(await this.target(ref.user));
  }

  disable(cmd: AccountAdminCommand): Promise<AccountView> {
    return this.act(cmd, 'account.disabled', async (user, tx) => {
      if (!(await this.accounts.setDisabled(user.id, true, tx))) return null;
      return { sessionsRevoked: await this.accounts.revokeSessions(user.id, tx) };
    });
  }

  enable(cmd: AccountAdminCommand): Promise<AccountView> {
    return this.act(cmd, 'account.enabled', async (user, tx) => ((await this.accounts.setDisabled(user.id, false, tx)) ? {} : null));
  }

  /** The next sign-in enrolls a new authenticator and gets new recovery codes. */
  resetTwoFactor(cmd: AccountAdminCommand): Promise<AccountView> {
    return this.act(cmd, 'account.two-factor-reset', async (user, tx) => {
      if (!(await this.accounts.resetTwoFactor(user.id, tx))) return null;
      return { sessionsRevoked: await this.accounts.revokeSessions(user.id, tx) };
    });
  }

  /** `change` returns what to audit, or null when there was nothing to change. */
  private async act(cmd: AccountAdminCommand, action: Action, change: (user: AccountRow, tx: Tx) => Promise<Record<string, number> | null>): Promise<AccountView> {
    await this.proofs.verify(cmd.proof, { action: PROOF_ACTION_OF[action], target: proofTarget.account(cmd.user), actorId: cmd.actorId });
    await this.requireHelpDesk(cmd.actorId);
    const user = await this.target(cmd.user);
    if (user.id === cmd.actorId) throw new DomainError(ERROR_CODES.FORBIDDEN, 'You cannot do this to your own account: ask another member of the help desk', 'userId');
    const event = await this.accounts.inTransaction(async (tx) => {
      const changed = await change(user, tx);
      return changed ? this.audit.append({ action, actorId: cmd.actorId, subjectId: user.id, details: { reason: cmd.reason, ...changed } }, tx) : null;
    });
    // Keyed by the audit event of the change: repeating the action after a failed queue call
    // queues the same email again, and the ledger sends it once.
    const notice = event ?? (await this.audit.latest(action, user.id));
    if (notice) {
      await this.emails.queueQuietly({
        idempotencyKey: `${NOTICE_OF[action]}/${notice.id.toString()}`,
        to: { email: user.email, displayName: user.displayName },
        template: NOTICE_OF[action],
        data: { loginId: user.loginId },
      });
    }
    return view(await this.target(user.id));
  }

  private async target(user: string): Promise<AccountRow> {
    const row = await this.accounts.findAccount(user);
    if (!row) throw new DomainError(ERROR_CODES.NOT_FOUND, 'No account has this user id', 'userId');
    return row;
  }

  private async requireHelpDesk(userId: string): Promise<void> {
    const user = await this.accounts.findAccount(userId);
    if (user?.platformRole !== 'HELP_DESK') throw new DomainError(ERROR_CODES.FORBIDDEN, 'Only the help desk manages accounts');
  }
}

function view(u: AccountRow): AccountView {
  return {
    id: u.id,
    loginId: u.loginId,
    displayName: u.displayName,
    email: u.email,
    platformRole: u.platformRole,
    emailVerified: u.emailVerifiedAt !== null,
    twoFactorEnrolled: u.totpSecret !== null,
    recoveryCodesRemaining: u._count.recoveryCodes,
    disabled: u.disabledAt !== null,
    disabledAt: u.disabledAt?.toISOString() ?? null,
    createdAt: u.createdAt.toISOString(),
  };
}
