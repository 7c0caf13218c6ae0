import { Injectable } from '@nestjs/common';
import { PrismaService, type Tx } from '../prisma/prisma.service';

export interface CalendarFeedRow {
  userId: string;
  tokenHash: string;
  sealedToken: string;
  issuedAt: Date;
}

/** The calendar feed tokens (issue 19): one row per user, replaced whole on rotation. */
@Injectable()
export class CalendarFeedRepository {
  constructor(private readonly prisma: PrismaService) {}

  inTransaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    return this.prisma.$transaction(fn);
  }

  findByUser(userId: string): Promise<CalendarFeedRow | null> {
    return this.prisma.calendarFeedToken.findUnique({ where: { userId } });
  }

  /** The token's owner, by the token's hash, with what the feed needs of the account. */
  findByHash(tokenHash: string) {
    return this.prisma.calendarFeedToken.findUnique({
      where: { tokenHash },
      include: { user: { select: { id: true, displayName: true, disabledAt: true } } },
    });
  }

  /** Issues the user's first token; false when another call issued one first (the caller reads that one). */
  async createIfAbsent(data: { userId: string; tokenHash: string; sealedToken: string; issuedAt: Date }): Promise<boolean> {
    const { count } = await this.prisma.calendarFeedToken.createMany({ data: [data], skipDuplicates: true });
    return count === 1;
  }

  /** Replaces the user's token (or issues one): the old hash stops finding the feed as this commits. */
  upsert(data: { userId: string; tokenHash: string; sealedToken: string }, tx: Tx): Promise<CalendarFeedRow> {
    const next = { tokenHash: data.tokenHash, sealedToken: data.sealedToken, issuedAt: new Date() };
    return tx.calendarFeedToken.upsert({ where: { userId: data.userId }, create: { userId: data.userId, ...next }, update: next });
  }

  /** Tokens sealed with another key than this one (a key rotation's leftovers). */
  sealedNotUnder(keyId: string, limit: number): Promise<{ userId: string; sealedToken: string }[]> {
    return this.prisma.calendarFeedToken.findMany({ where: { NOT: { sealedToken: { startsWith: `v1.${keyId}.` } } }, select: { userId: true, sealedToken: true }, take: limit });
  }

  /** Replaces a sealed token with the same token sealed anew; false when the row changed meanwhile (a rotation). */
  async replaceSealed(was: { userId: string; sealedToken: string }, sealedToken: string): Promise<boolean> {
    const { count } = await this.prisma.calendarFeedToken.updateMany({ where: { userId: was.userId, sealedToken: was.sealedToken }, data: { sealedToken } });
    return count === 1;
  }

  findUser(userId: string) {
    return this.prisma.user.findUnique({ where: { id: userId }, select: { id: true, disabledAt: true } });
  }
}
