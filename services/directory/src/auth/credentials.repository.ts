import { Injectable } from '@nestjs/common';
import { PrismaService, type Tx } from '../prisma/prisma.service';

/** Sign-in state: failure counts and locks per login id, used TOTP steps, two-factor enrollment, recovery codes, and sessions. */
@Injectable()
export class CredentialsRepository {
  constructor(private readonly prisma: PrismaService) {}

  /**
   * Counts a sign-in attempt before it is verified, and takes the lock atomically (issue 14): the
   * attempt counts as a failure until it succeeds (then the count is cleared). Past `max` counted
   * attempts the login id is locked, so N parallel guesses get at most `max` verifications and a
   * right guess among the rest is refused. An expired lock starts the count anew.
   */
  async beginAttempt(loginId: string, max: number, lockSeconds: number): Promise<{ failures: number; lockedUntil: Date | null; newlyLocked: boolean }> {
    const rows = await this.prisma.$queryRaw<{ failures: number; locked_until: Date | null; prev_locked: Date | null }[]>`
      WITH prev AS (SELECT locked_until FROM sign_in_throttle WHERE login_id = ${loginId} FOR UPDATE)
      INSERT INTO sign_in_throttle AS t (login_id, failures, updated_at) VALUES (${loginId}, 1, now())
      ON CONFLICT (login_id) DO UPDATE SET
        failures = CASE WHEN t.locked_until IS NOT NULL AND t.locked_until <= now() THEN 1 ELSE t.failures + 1 END,
        locked_until = CASE
          WHEN t.locked_until IS NOT NULL AND t.locked_until > now() THEN t.locked_until
          WHEN t.locked_until IS NOT NULL THEN NULL
          WHEN t.failures + 1 > ${max} THEN now() + make_interval(secs => ${lockSeconds})
          ELSE NULL END,
        updated_at = now()
      RETURNING failures, locked_until, (SELECT locked_until FROM prev) AS prev_locked`;
    const row = rows[0];
    const lockedUntil = row.locked_until && row.locked_until > new Date() ? row.locked_until : null;
    const newlyLocked = lockedUntil !== null && !(row.prev_locked && row.prev_locked > new Date());
    return { failures: row.failures, lockedUntil, newlyLocked };
  }

  /** After a failed attempt (already counted): locks the login id once `max` failures are counted; the lock, when this set it. */
  async lockIfExhausted(loginId: string, max: number, lockSeconds: number): Promise<Date | null> {
    const rows = await this.prisma.$queryRaw<{ locked_until: Date }[]>`
      UPDATE sign_in_throttle SET locked_until = now() + make_interval(secs => ${lockSeconds}), updated_at = now()
      WHERE login_id = ${loginId} AND locked_until IS NULL AND failures >= ${max}
      RETURNING locked_until`;
    return rows[0]?.locked_until ?? null;
  }

  /** Takes back the count of an attempt that turned out right (the password step). */
  async uncountAttempt(loginId: string): Promise<void> {
    await this.prisma.$executeRaw`UPDATE sign_in_throttle SET failures = GREATEST(failures - 1, 0), updated_at = now() WHERE login_id = ${loginId} AND locked_until IS NULL`;
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

  /** Opens a session and stamps the account's last sign-in (approver coverage, issue 18). */
  async createSession(id: string, userId: string, expiresAt: Date, tx: Tx | PrismaService = this.prisma) {
    const session = await tx.session.create({ data: { id, userId, expiresAt } });
    await tx.user.update({ where: { id: userId }, data: { lastSignedInAt: session.createdAt }, select: { id: true } });
    return session;
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

  /** Users whose TOTP secret (or pending one) is not sealed with this key id: in the clear, or under a retired key. */
  totpSecretsNotUnder(keyId: string, limit: number) {
    const sealed = `v1.${keyId}.`;
    return this.prisma.user.findMany({
      where: {
        OR: [
          { totpSecret: { not: null }, NOT: { totpSecret: { startsWith: sealed } } },
          { pendingTotpSecret: { not: null }, NOT: { pendingTotpSecret: { startsWith: sealed } } },
        ],
      },
      select: { id: true, totpSecret: true, pendingTotpSecret: true },
      take: limit,
    });
  }

  /** Replaces both values if neither changed meanwhile (an enrollment racing the re-sealing wins). */
  async replaceTotpSecrets(
    was: { id: string; totpSecret: string | null; pendingTotpSecret: string | null },
    now: { totpSecret: string | null; pendingTotpSecret: string | null },
  ): Promise<boolean> {
    const { count } = await this.prisma.user.updateMany({ where: { id: was.id, totpSecret: was.totpSecret, pendingTotpSecret: was.pendingTotpSecret }, data: now });
    return count === 1;
  }

  /**
   * Spends a one-time sign-in token: false when it was spent already. Inside the transaction that
   * opens the session, so a token opens one session, however many requests carry it at once.
   */
  async spendToken(tokenId: string, userId: string, purpose: string, expiresAt: Date, tx: Tx): Promise<boolean> {
    const rows = await tx.$queryRaw<{ token_id: string }[]>`
      INSERT INTO used_tokens (token_id, user_id, purpose, expires_at) VALUES (${tokenId}, ${userId}::uuid, ${purpose}, ${expiresAt})
      ON CONFLICT (token_id) DO NOTHING RETURNING token_id`;
    return rows.length === 1;
  }

  isTokenSpent(tokenId: string): Promise<boolean> {
    return this.prisma.usedToken.count({ where: { tokenId } }).then((n) => n > 0);
  }

  /** Forgets spent tokens that have expired anyway. */
  forgetExpiredTokens() {
    return this.prisma.usedToken.deleteMany({ where: { expiresAt: { lt: new Date() } } });
  }

  findSession(id: string) {
    return this.prisma.session.findUnique({ where: { id }, include: { user: true } });
  }

  revokeSession(id: string) {
    return this.prisma.session.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: new Date() } });
  }
}
