import { Injectable } from '@nestjs/common';
import type { NoticeFeedItem, NoticeView } from '@am/contracts';
import type { Notice } from '../generated/prisma/client';
import { PrismaService } from '../prisma/prisma.service';

const toView = (n: Notice): NoticeView => ({
  id: n.id,
  kind: n.kind,
  title: n.title,
  body: n.body,
  link: n.link,
  popup: n.popup,
  createdAt: n.createdAt.toISOString(),
  readAt: n.readAt?.toISOString() ?? null,
});

/** The in-app notices; the only code that touches them in the database. */
@Injectable()
export class NoticesRepository {
  constructor(private readonly prisma: PrismaService) {}

  async list(userId: string, unreadOnly: boolean, limit: number): Promise<NoticeView[]> {
    const rows = await this.prisma.notice.findMany({
      where: { userId, ...(unreadOnly ? { readAt: null } : {}) },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: limit,
    });
    return rows.map(toView);
  }

  /** Marks the user's own notice read (once: the first time stays); null when the user has no such notice. */
  async markRead(userId: string, id: string): Promise<NoticeView | null> {
    await this.prisma.notice.updateMany({ where: { id, userId, readAt: null }, data: { readAt: new Date() } });
    const row = await this.prisma.notice.findFirst({ where: { id, userId } });
    return row ? toView(row) : null;
  }

  /** Every user's notices created after `since`, oldest first. */
  async createdAfter(since: Date, limit: number): Promise<NoticeFeedItem[]> {
    const rows = await this.prisma.notice.findMany({ where: { createdAt: { gt: since } }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }], take: limit });
    return rows.map((n) => ({ ...toView(n), userId: n.userId }));
  }

  /** The database's clock: the feed's cursor is kept in it, so the services' clocks never matter. */
  async now(): Promise<Date> {
    const [row] = await this.prisma.$queryRaw<{ now: Date }[]>`SELECT now() AS now`;
    return row.now;
  }
}
