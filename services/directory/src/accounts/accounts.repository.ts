import { Injectable } from '@nestjs/common';
import type { AccountTokenPurpose, Prisma } from '../generated/prisma/client';
import { PrismaService, type Tx } from '../prisma/prisma.service';

const withCodes = { _count: { select: { recoveryCodes: { where: { usedAt: null } } } } } as const;
export type AccountRow = Prisma.UserGetPayload<{ include: typeof withCodes }>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Accounts: registration, single-use link tokens, the help desk's switches. Sessions and codes of sign-in are in CredentialsRepository. */
@Injectable()
export class AccountsRepository {
  constructor(private readonly prisma: PrismaService) {}

  inTransaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    return this.prisma.$transaction(fn);
  }

  /** The account with this user id, ignoring case (registration keeps ids that differ by case only apart). */
  async findByLoginIdIgnoringCase(loginId: string) {
    const rows = await this.prisma.$queryRaw<{ id: string }[]>`SELECT id FROM users WHERE lower(login_id) = lower(${loginId}) LIMIT 1`;
    return rows.length ? this.prisma.user.findUnique({ where: { id: rows[0].id } }) : null;
  }

  /** The one verified account with this email address, ignoring case. */
  async findVerifiedByEmail(email: string) {
    const rows = await this.prisma.$queryRaw<{ id: string }[]>`
      SELECT id FROM users WHERE lower(email) = lower(${email}) AND email_verified_at IS NOT NULL LIMIT 1`;
    return rows.length ? this.prisma.user.findUnique({ where: { id: rows[0].id } }) : null;
  }

  /** An account by its id or its login id, with the count of its unused recovery codes. */
  findAccount(idOrLoginId: string): Promise<AccountRow | null> {
    return this.prisma.user.findUnique({ where: UUID.test(idOrLoginId) ? { id: idOrLoginId } : { loginId: idOrLoginId }, include: withCodes });
  }

  createUnverified(data: { loginId: string; displayName: string; email: string; passwordHash: string }, tx: Tx) {
    return tx.user.create({ data: { ...data, emailVerifiedAt: null, totpSecret: null } });
  }

  /** Gives an unverified registration new details (its link expired, and someone registers the id anew). */
  async replaceUnverified(id: string, data: { displayName: string; email: string; passwordHash: string }, tx: Tx): Promise<boolean> {
    const { count } = await tx.user.updateMany({ where: { id, emailVerifiedAt: null }, data });
    return count === 1;
  }

  async hasLiveToken(userId: string, purpose: AccountTokenPurpose): Promise<boolean> {
    return (await this.prisma.accountToken.count({ where: { userId, purpose, usedAt: null, expiresAt: { gt: new Date() } } })) > 0;
  }

  /** Stores a new link's token hash; the account's older links of the same purpose stop working. */
  async issueToken(data: { userId: string; purpose: AccountTokenPurpose; tokenHash: string; expiresAt: Date }, tx: Tx) {
    await tx.accountToken.updateMany({ where: { userId: data.userId, purpose: data.purpose, usedAt: null }, data: { usedAt: new Date() } });
    return tx.accountToken.create({ data });
  }

  findToken(tokenHash: string) {
    return this.prisma.accountToken.findUnique({ where: { tokenHash }, include: { user: true } });
  }

  /** Uses the token once: false when it was used (or expired) meanwhile. */
  async consumeToken(id: string, tx: Tx): Promise<boolean> {
    const { count } = await tx.accountToken.updateMany({ where: { id, usedAt: null, expiresAt: { gt: new Date() } }, data: { usedAt: new Date() } });
    return count === 1;
  }

  async markEmailVerified(userId: string, tx: Tx): Promise<boolean> {
    const { count } = await tx.user.updateMany({ where: { id: userId, emailVerifiedAt: null }, data: { emailVerifiedAt: new Date() } });
    return count === 1;
  }

  /** A new password: every reset link of the account stops working, and its sign-in lock is lifted. */
  async setPassword(user: { id: string; loginId: string }, passwordHash: string, tx: Tx): Promise<void> {
    await tx.user.update({ where: { id: user.id }, data: { passwordHash } });
    await tx.accountToken.updateMany({ where: { userId: user.id, purpose: 'RESET_PASSWORD', usedAt: null }, data: { usedAt: new Date() } });
    await tx.signInThrottle.deleteMany({ where: { loginId: user.loginId } });
  }

  /** Ends every live session of the account; returns how many. */
  async revokeSessions(userId: string, tx: Tx): Promise<number> {
    const { count } = await tx.session.updateMany({ where: { userId, revokedAt: null, expiresAt: { gt: new Date() } }, data: { revokedAt: new Date() } });
    return count;
  }

  /** Disables (or enables) the account; false when it already was. */
  async setDisabled(userId: string, disabled: boolean, tx: Tx): Promise<boolean> {
    const { count } = await tx.user.updateMany({
      where: { id: userId, disabledAt: disabled ? null : { not: null } },
      data: { disabledAt: disabled ? new Date() : null },
    });
    return count === 1;
  }

  /** Forgets the account's second factor and recovery codes; false when it had none. */
  async resetTwoFactor(userId: string, tx: Tx): Promise<boolean> {
    const { count } = await tx.user.updateMany({
      where: { id: userId, OR: [{ totpSecret: { not: null } }, { pendingTotpSecret: { not: null } }] },
      data: { totpSecret: null, pendingTotpSecret: null, lastTotpStep: null },
    });
    const codes = await tx.recoveryCode.deleteMany({ where: { userId } });
    return count === 1 || codes.count > 0;
  }
}
