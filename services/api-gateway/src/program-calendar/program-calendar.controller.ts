import { Controller, Get, Header, HttpCode, Inject, Param, Post, Res } from '@nestjs/common';
import type { ClientProxy } from '@nestjs/microservices';
import {
  ApiBearerAuth,
  ApiCookieAuth,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiProduces,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import {
  CALENDAR_FEED_TOKEN_PATTERN,
  DIRECTORY_CLIENT,
  DIRECTORY_PATTERNS,
  proofTarget,
  REFUSALS,
  type CalendarFeedCommand,
  type CalendarFeedOwner,
  type CalendarFeedToken,
  type CalendarFeedView,
  type ProgramCalendarView,
} from '@am/contracts';
import { call } from '@am/service-kit';
import { CallerProofs } from '../auth/caller-proofs.service';
import { Principal, Public, type CallerPrincipal } from '../auth/principal';
import { IdempotentReplayWithholds } from '../common/idempotency.interceptor';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config/gateway.config';
import { CalendarFeedResponse, ProgramCalendarResponse, RotatedCalendarFeedResponse } from './program-calendar.responses';
import { ProgramCalendarService } from './program-calendar.service';

const ICALENDAR = 'text/calendar; charset=utf-8';
const FEED_PATH = '/api/v1/program-calendar/feeds';
const NOT_MODIFIED = { status: 304, description: 'Not modified: the If-None-Match ETag is current (no body)' };
const icsExample = (uid: string) =>
  'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Access Manager//Program calendar//EN\r\nX-WR-CALNAME:Access Manager: Program calendar\r\n' +
  `BEGIN:VEVENT\r\nUID:${uid}\r\nDTSTART;VALUE=DATE:20270102\r\nDTEND;VALUE=DATE:20270401\r\nSUMMARY:Submission period (2026 performance year)\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n`;

/**
 * The program calendar (issue 19): its periods as JSON and as iCalendar feeds, answered by the
 * gateway from its own configuration. The public answers are cacheable by anyone (Cache-Control
 * public; Express's ETag answers a matching If-None-Match with 304); a personal feed, whose URL is
 * its owner's secret, only by its owner's client (private).
 */
@ApiTags('program-calendar')
@Controller()
export class ProgramCalendarController {
  constructor(
    private readonly calendar: ProgramCalendarService,
    @Inject(DIRECTORY_CLIENT) private readonly directory: ClientProxy,
  ) {}

  @Public()
  @Get('program-calendar')
  @Header('Cache-Control', 'public, max-age=60')
  @ApiOperation({
    summary: 'The program’s periods of this calendar year and the next, which are open now, and whether now is a high-volume period',
    description: 'Anyone, no sign-in. From the configured calendar (REGISTRATION_WINDOW, SUBMISSION_PERIOD, FEEDBACK_RELEASED_ON, TARGETED_REVIEW_DAYS, HIGH_VOLUME_PERIODS, PROGRAM_CALENDAR_OVERRIDES). Cacheable for a minute.',
  })
  @ApiOkResponse({ type: ProgramCalendarResponse })
  @ApiResponse(NOT_MODIFIED)
  view(): ProgramCalendarView {
    // To the minute, so that answers within a minute are the same bytes (one ETag).
    const now = Date.now();
    return this.calendar.view(now - (now % 60_000));
  }

  @Public()
  @Get('program-calendar.ics')
  @Header('Content-Type', ICALENDAR)
  @Header('Cache-Control', 'public, max-age=3600')
  @Header('Content-Disposition', 'inline; filename="program-calendar.ics"')
  @ApiProduces('text/calendar')
  @ApiOperation({
    summary: 'The program’s periods as an iCalendar feed (RFC 5545) to subscribe to',
    description: 'Anyone, no sign-in. One all-day event per period of this calendar year and the next; each event’s UID (`SUBMISSION-2026@<host>`) stays the same from one fetch to the next. Cacheable for an hour.',
  })
  @ApiOkResponse({ description: 'The feed', content: { 'text/calendar': { schema: { type: 'string' }, example: icsExample('SUBMISSION-2026@am.example.gov') } } })
  @ApiResponse(NOT_MODIFIED)
  publicFeed(): string {
    return this.calendar.publicFeed(Date.now());
  }

  @Public()
  @Get('program-calendar/feeds/:token.ics')
  @ApiProduces('text/calendar')
  @ApiParam({ name: 'token', description: 'The token of a personal feed URL (GET /me/calendar-feed)', example: 'amcal_3q2Xk9vR1bTn6yHc0pLs8wEa4uJd7fGz5mQo2iVx1Ke' })
  @ApiOperation({
    summary: 'A person’s iCalendar feed: the program’s periods, a weekly “Review pending requests” during each high-volume period, and the due dates of their open access reviews',
    description: 'No sign-in: the URL’s token is the credential (GET /me/calendar-feed shows it; a new link replaces it). Cacheable by the subscriber’s own client only (private).',
  })
  @ApiOkResponse({ description: 'The feed', content: { 'text/calendar': { schema: { type: 'string' }, example: icsExample('REVIEW-PENDING-SUBMISSION-2026@am.example.gov') } } })
  @ApiResponse(NOT_MODIFIED)
  @ApiNotFoundResponse({ description: 'No feed has this token: unknown, malformed, replaced by a new link, or its account is disabled' })
  async personalFeed(@Param('token') token: string, @Res({ passthrough: true }) res: Response): Promise<string> {
    // A malformed token is answered like an unknown one, without asking the directory.
    if (!CALENDAR_FEED_TOKEN_PATTERN.test(token)) throw REFUSALS.noSuchCalendarFeed();
    const owner = await call<CalendarFeedOwner>(this.directory, DIRECTORY_PATTERNS.resolveCalendarFeed, { token });
    res.setHeader('Content-Type', ICALENDAR);
    res.setHeader('Cache-Control', 'private, max-age=300');
    res.setHeader('Content-Disposition', 'inline; filename="access-manager.ics"');
    return this.calendar.personalFeed(owner, Date.now());
  }
}

/** The caller's own feed URL (issue 19): people only, signed in; an API key is refused (403). */
@ApiTags('me')
@ApiBearerAuth()
@ApiCookieAuth()
@Controller('me/calendar-feed')
export class CalendarFeedController {
  constructor(
    @Inject(DIRECTORY_CLIENT) private readonly directory: ClientProxy,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    private readonly proofs: CallerProofs,
  ) {}

  @Get()
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'The caller’s personal calendar feed URL (issued on first use)', description: 'The URL carries a secret token: whoever has it reads the feed. It stays the same until a new link replaces it.' })
  @ApiOkResponse({ type: CalendarFeedResponse })
  async show(@Principal() p: CallerPrincipal): Promise<CalendarFeedView> {
    const cmd: CalendarFeedCommand = { userId: p.userId, proof: await this.proofs.for(p, 'calendar-feed.show', proofTarget.calendarFeed()) };
    return this.viewOf(await call<CalendarFeedToken>(this.directory, DIRECTORY_PATTERNS.showCalendarFeed, cmd));
  }

  @Post('rotate')
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'A new personal calendar feed URL: the old one answers 404 from now on', description: 'Audited (calendar-feed.rotated).' })
  @ApiOkResponse({ type: RotatedCalendarFeedResponse })
  @IdempotentReplayWithholds('url', 'The feed URL is a secret and is not kept for replays: GET /me/calendar-feed shows the current one.')
  async rotate(@Principal() p: CallerPrincipal): Promise<CalendarFeedView> {
    const cmd: CalendarFeedCommand = { userId: p.userId, proof: await this.proofs.for(p, 'calendar-feed.rotate', proofTarget.calendarFeed()) };
    return this.viewOf(await call<CalendarFeedToken>(this.directory, DIRECTORY_PATTERNS.rotateCalendarFeed, cmd));
  }

  private viewOf(t: CalendarFeedToken): CalendarFeedView {
    return { url: `${this.config.WEB_BASE_URL}${FEED_PATH}/${t.token}.ics`, issuedAt: t.issuedAt };
  }
}
