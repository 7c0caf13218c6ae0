import { Controller, Get, HttpCode, Inject, Param, Post, Query, Res, Sse, type MessageEvent } from '@nestjs/common';
import type { ClientProxy } from '@nestjs/microservices';
import { ApiBadRequestResponse, ApiBearerAuth, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags, ApiTooManyRequestsResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { Response } from 'express';
import type { Observable } from 'rxjs';
import { DomainError } from '@am/contracts';
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
      'Events: `ready` once the stream is open, `notice` (data: a notice) for each new one, `ping` to keep the connection alive. The stream ends when the session is signed out or expires. ' +
      'A user may hold a few streams open at once (NOTICE_STREAMS_PER_USER, 5 by default: one per tab or window); the next is refused with 429 until one closes.',
  })
  @ApiTooManyRequestsResponse({ description: 'The user has as many streams open as they may (THROTTLED): close one; Retry-After says when to retry' })
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
  stream(@Principal() p: AuthenticatedPrincipal & { sessionId: string }, @Res({ passthrough: true }) res: Response): Observable<MessageEvent> {
    let release: () => void;
    try {
      release = this.live.claimSlot(p.userId);
    } catch (err) {
      if (err instanceof DomainError && typeof err.details?.retryAfterSeconds === 'number') res.setHeader('Retry-After', String(err.details.retryAfterSeconds));
      throw err;
    }
    // The slot is the connection's: given back when it closes, however the stream ended.
    res.once('close', release);
    // A client that left while the request was checked has closed it already (no 'close' to come).
    if (res.closed || res.req.socket.destroyed) release();
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
