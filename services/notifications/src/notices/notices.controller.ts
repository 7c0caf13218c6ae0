import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { NOTIFICATIONS_PATTERNS, type NoticeFeedPage, type NoticeView } from '@am/contracts';
import { notificationsPayloads, parsePayload } from '@am/service-kit';
import { NoticesService } from './notices.service';

@Controller()
export class NoticesController {
  constructor(private readonly notices: NoticesService) {}

  @MessagePattern(NOTIFICATIONS_PATTERNS.listNotices)
  list(@Payload() payload: unknown): Promise<NoticeView[]> {
    return this.notices.list(parsePayload(notificationsPayloads.listNotices, payload));
  }

  @MessagePattern(NOTIFICATIONS_PATTERNS.markNoticeRead)
  markRead(@Payload() payload: unknown): Promise<NoticeView> {
    return this.notices.markRead(parsePayload(notificationsPayloads.markNoticeRead, payload));
  }

  @MessagePattern(NOTIFICATIONS_PATTERNS.noticeFeed)
  feed(@Payload() payload: unknown): Promise<NoticeFeedPage> {
    return this.notices.feed(parsePayload(notificationsPayloads.noticeFeed, payload));
  }
}
