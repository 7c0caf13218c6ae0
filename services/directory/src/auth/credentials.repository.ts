import { Injectable } from '@nestjs/common';
import { PrismaService, type Tx } from '../prisma/prisma.service';

/** Sign-in state: failure counts and locks per login id, used TOTP steps, two-factor enrollment, recovery codes, and sessions. */
@Injectable()
export class CredentialsRepository {
  constructor(private readonly prisma: PrismaService) {}

  findThrottle(loginId: string) {
    return this.prisma.signInThrottle.findUnique({ where: { loginId } });
  }

  /** Counts one failure atomically; locks the login id once `max` is reached. Returns the row. */
  async recordFailure(loginId: string, max: number, lockSeconds: number) {
    const rows = await this.prisma.$queryRaw<{ failures: number; locked_until: Date | null }[]>`
      INSERT INTO sign_in_throttle (login_id, failures, updated_at) VALUES (${loginId}, 1, now())
      ON CONFLICT (login_id) DO UPDATE SET
        failures = CASE WHEN sign_in_throttle.locked_until IS NOT NULL AND sign_in_throttle.locked_until <= now()
                        THEN 1 ELSE sign_in_throttle.failures + 1 END,
        locked_until = CASE WHEN sign_in_throttle.locked_until IS NOT NULL AND sign_in_throttle.locked_until > now()
                            THEN sign_in_throttle.locked_until ELSE NULL END,
        updated_at = now()
      RETURNING failures, locked_until`;
    const row = rows[0];
    if (row.failures >= max && !row.locked_until) {
      const lockedUntil = new Date(Date.now() + lockSeconds * 1000);
      await this.prisma.signInThrottle.update({ where: { loginId }, data: { lockedUntil } });
      return { failures: row.failures, lockedUntil };
    }
    return { failures: row.failures, lockedUntil: row.locked_until };
  }

  clearFailures(loginId: string) {
    return this.prisma.signInThrottle.deleteMany({ where: { loginId } });
  }

  /** Accepts a TOTP time step only if it is newer than the last one used: each code works once. */
  async consumeTotpStep(userId: string, step: number): Promise<boolean> {
    const { count } = await this.prisma.user.updateMany({
      where: { id: userId, OR: [{ lastTotpStep: null }, { lastTotpStep: { lt: BigInt(step) } }] },
      data: { lastTotpStep: BigInt(step) },
    });
    return count === 1;
  }

  createSession(id: string, userId: string, expiresAt: Date, tx: Tx | PrismaService = this.prisma) {
    return tx.session.create({ data: { id, userId, expiresAt } });
  }

  inTransaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    return this.prisma.$transaction(fn);
  }

  /** Keeps a newly issued secret until a first code confirms it; false when the account is enrolled already. */
  async setPendingTotpSecret(userId: string, secret: string): Promise<boolean> {
    const { count } = await this.prisma.user.updateMany({ where: { id: userId, totpSecret: null }, data: { pendingTotpSecret: secret } });
    return count === 1;
  }

  /**
   * Makes the pending secret the account's second factor (its confirming code's step used) with new
   * recovery codes; false when another confirmation won, or a newer secret was issued meanwhile.
   */
  async confirmEnrollment(userId: string, pendingSecret: string, step: number, codeHashes: string[], tx: Tx): Promise<boolean> {
    const { count } = await tx.user.updateMany({
      where: { id: userId, pendingTotpSecret: pendingSecret, totpSecret: null },
      data: { totpSecret: pendingSecret, pendingTotpSecret: null, lastTotpStep: BigInt(step) },
    });
    if (count !== 1) return false;
    await tx.recoveryCode.deleteMany({ where: { userId } });
    await tx.recoveryCode.createMany({ data: codeHashes.map((codeHash) => ({ userId, codeHash })) });
    return true;
  }

  /** Uses a recovery code once: false when it is not one of the account's unused codes. */
  async consumeRecoveryCode(userId: string, codeHash: string): Promise<boolean> {
    const { count } = await this.prisma.recoveryCode.updateMany({ where: { userId, codeHash, usedAt: null }, data: { usedAt: new Date() } });
    return count === 1;
  }

  countRecoveryCodes(userId: string): Promise<number> {
    return this.prisma.recoveryCode.count({ where: { userId, usedAt: null } });
  }

  findSession(id: string) {
    return this.prisma.session.findUnique({ where: { id }, include: { user: true } });
  }

  revokeSession(id: string) {
    return this.prisma.session.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: new Date() } });
  }
}
