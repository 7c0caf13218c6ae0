import { Controller, Get, HttpCode, Inject, Param, Post, Query, Sse, type MessageEvent } from '@nestjs/common';
import type { ClientProxy } from '@nestjs/microservices';
import { ApiBadRequestResponse, ApiBearerAuth, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { Observable } from 'rxjs';
import { NOTIFICATIONS_CLIENT, NOTIFICATIONS_PATTERNS, type AuthenticatedPrincipal, type ListNoticesQuery, type MarkNoticeReadCommand, type NoticeView } from '@am/contracts';
import { call } from '@am/service-kit';
import { Principal } from '../auth/principal';
import { NoticeStream } from './notice-stream.service';
import { ListNoticesDto, NoticeDto, NoticeIdParams } from './notifications.dto';

@ApiTags('notifications')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ description: 'Not signed in' })
@Controller('notifications')
export class NotificationsController {
  constructor(
    @Inject(NOTIFICATIONS_CLIENT) private readonly notifications: ClientProxy,
    private readonly live: NoticeStream,
  ) {}

  @Get()
  @ApiOperation({ summary: 'My in-app notices, newest first' })
  @ApiOkResponse({ type: NoticeDto, isArray: true })
  @ApiBadRequestResponse({ description: 'unread is not true/false, or limit is out of range' })
  list(@Principal() p: AuthenticatedPrincipal, @Query() q: ListNoticesDto): Promise<NoticeView[]> {
    const query: ListNoticesQuery = { userId: p.userId, unreadOnly: q.unread === true, limit: q.limit ?? 50 };
    return call(this.notifications, NOTIFICATIONS_PATTERNS.listNotices, query);
  }

  @Sse('stream')
  @ApiOperation({
    summary: 'Server-Sent Events: each of my new notices, live',
    description:
      'Events: `ready` once the stream is open, `notice` (data: a notice) for each new one, `ping` to keep the connection alive. The stream ends when the session is signed out or expires.',
  })
  @ApiProduces('text/event-stream')
  @ApiOkResponse({
    description: 'An endless text/event-stream',
    content: {
      'text/event-stream': {
        schema: { type: 'string' },
        example: 'event: notice\ndata: {"id":"…","kind":"request-decided","title":"Request approved","popup":true,…}\n\n',
      },
    },
  })
  stream(@Principal() p: AuthenticatedPrincipal & { sessionId: string }): Observable<MessageEvent> {
    return this.live.open(p);
  }

  @Post(':id/read')
  @HttpCode(200)
  @ApiOperation({ summary: 'Mark one of my notices read' })
  @ApiOkResponse({ type: NoticeDto })
  @ApiNotFoundResponse({ description: 'No such notice of mine' })
  markRead(@Principal() p: AuthenticatedPrincipal, @Param() params: NoticeIdParams): Promise<NoticeView> {
    const cmd: MarkNoticeReadCommand = { userId: p.userId, noticeId: params.id };
    return call(this.notifications, NOTIFICATIONS_PATTERNS.markNoticeRead, cmd);
  }
}
