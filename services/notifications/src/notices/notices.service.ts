import { Injectable } from '@nestjs/common';
import { DomainError, ERROR_CODES, type ListNoticesQuery, type MarkNoticeReadCommand, type NoticeFeedPage, type NoticeFeedQuery, type NoticeView } from '@am/contracts';
import { NoticesRepository } from './notices.repository';

/** How far back a feed page reaches before `since`: a notice committed a moment after a later one is still found. */
export const FEED_SETTLE_MS = 5_000;

@Injectable()
export class NoticesService {
  constructor(private readonly notices: NoticesRepository) {}

  list(q: ListNoticesQuery): Promise<NoticeView[]> {
    return this.notices.list(q.userId, q.unreadOnly, q.limit);
  }

  /** Only the owner marks a notice read; anyone else learns nothing about it (404, not 403). */
  async markRead(cmd: MarkNoticeReadCommand): Promise<NoticeView> {
    const notice = await this.notices.markRead(cmd.userId, cmd.noticeId);
    if (!notice) throw new DomainError(ERROR_CODES.NOT_FOUND, 'No such notice', 'id');
    return notice;
  }

  /**
   * A page of every user's new notices for the gateways' live streams. Pages overlap by
   * FEED_SETTLE_MS (the caller drops what it has already pushed), because creation times are
   * taken before commit and two inserts can commit in the other order.
   */
  async feed(q: NoticeFeedQuery): Promise<NoticeFeedPage> {
    const now = await this.notices.now();
    if (!q.since) return { notices: [], now: now.toISOString() };
    const since = new Date(Date.parse(q.since) - FEED_SETTLE_MS);
    return { notices: await this.notices.createdAfter(since, q.limit), now: now.toISOString() };
  }
}
