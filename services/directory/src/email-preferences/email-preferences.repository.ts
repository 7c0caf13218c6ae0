import { Injectable } from '@nestjs/common';
import type { EmailDigest } from '../generated/prisma/client';
import { PrismaService, type Tx } from '../prisma/prisma.service';

const PREFERENCES = { emailDigest: true, digestHour: true, timeZone: true } as const;

export interface PreferencesRow {
  emailDigest: EmailDigest;
  digestHour: number;
  timeZone: string;
}

/** The only code that reads and writes users' email preferences and their digests' progress (issue 19). */
@Injectable()
export class EmailPreferencesRepository {
  constructor(private readonly prisma: PrismaService) {}

  inTransaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    return this.prisma.$transaction(fn);
  }

  find(userId: string, tx: Tx | PrismaService = this.prisma): Promise<PreferencesRow | null> {
    return tx.user.findUnique({ where: { id: userId }, select: PREFERENCES });
  }

  /** Reads the row under a lock, so two changes at once are audited one after the other with the right "before". */
  async findForUpdate(userId: string, tx: Tx): Promise<PreferencesRow | null> {
    const rows = await tx.$queryRaw<{ email_digest: EmailDigest; digest_hour: number; time_zone: string }[]>`
      SELECT email_digest::text AS email_digest, digest_hour::int AS digest_hour, time_zone FROM users WHERE id = ${userId}::uuid FOR UPDATE`;
    return rows[0] ? { emailDigest: rows[0].email_digest, digestHour: rows[0].digest_hour, timeZone: rows[0].time_zone } : null;
  }

  update(userId: string, data: PreferencesRow, tx: Tx): Promise<PreferencesRow> {
    return tx.user.update({ where: { id: userId }, data, select: PREFERENCES });
  }

  /** Of `ids`, those on the daily digest. */
  async onDailyDigest(ids: string[]): Promise<Set<string>> {
    if (!ids.length) return new Set();
    const rows = await this.prisma.user.findMany({ where: { id: { in: ids }, emailDigest: 'DAILY' }, select: { id: true } });
    return new Set(rows.map((r) => r.id));
  }

  /** A page of the enabled users on the daily digest after `after` (by id), with what decides whether their digest is due. */
  dailyDigestPage(after: string | undefined, take: number) {
    return this.prisma.user.findMany({
      where: { emailDigest: 'DAILY', disabledAt: null, ...(after ? { id: { gt: after } } : {}) },
      select: { id: true, digestHour: true, timeZone: true, digestSentFor: true },
      orderBy: { id: 'asc' },
      take,
    });
  }

  findPerson(userId: string) {
    return this.prisma.user.findUnique({ where: { id: userId }, select: { id: true, displayName: true, email: true, disabledAt: true } });
  }

  /** Records the digest of `localDate` as done; never moves an later date back (a late retry of an older run). */
  async markSent(userId: string, localDate: string): Promise<void> {
    await this.prisma.$executeRaw`
      UPDATE users SET digest_sent_for = ${localDate}::date
      WHERE id = ${userId}::uuid AND (digest_sent_for IS NULL OR digest_sent_for < ${localDate}::date)`;
  }
}
