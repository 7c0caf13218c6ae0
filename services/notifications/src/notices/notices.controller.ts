import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { z } from 'zod';
import { NOTIFICATIONS_PATTERNS, type NoticeFeedPage, type NoticeView } from '@am/contracts';
import { parsePayload } from '@am/service-kit';
import { NoticesService } from './notices.service';

const listSchema = z.object({ userId: z.uuid(), unreadOnly: z.boolean().default(false), limit: z.number().int().min(1).max(200).default(50) });
const markReadSchema = z.object({ userId: z.uuid(), noticeId: z.uuid() });
const feedSchema = z.object({ since: z.iso.datetime({ offset: true }).optional(), limit: z.number().int().min(1).max(1000).default(500) });

@Controller()
export class NoticesController {
  constructor(private readonly notices: NoticesService) {}

  @MessagePattern(NOTIFICATIONS_PATTERNS.listNotices)
  list(@Payload() payload: unknown): Promise<NoticeView[]> {
    return this.notices.list(parsePayload(listSchema, payload));
  }

  @MessagePattern(NOTIFICATIONS_PATTERNS.markNoticeRead)
  markRead(@Payload() payload: unknown): Promise<NoticeView> {
    return this.notices.markRead(parsePayload(markReadSchema, payload));
  }

  @MessagePattern(NOTIFICATIONS_PATTERNS.noticeFeed)
  feed(@Payload() payload: unknown): Promise<NoticeFeedPage> {
    return this.notices.feed(parsePayload(feedSchema, payload));
  }
}
