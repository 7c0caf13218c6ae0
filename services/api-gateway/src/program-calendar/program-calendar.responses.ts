// Documentation only: the OpenAPI shapes of the program calendar's views (@am/contracts), with examples of the default calendar.
import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { PROGRAM_PERIOD_KINDS, type CalendarFeedView, type ProgramCalendarView, type ProgramPeriodKind, type ProgramPeriodView } from '@am/contracts';

@ApiSchema({ name: 'ProgramPeriod' })
export class ProgramPeriodResponse implements ProgramPeriodView {
  @ApiProperty({ description: '`<kind>-<performance year>`: stable, the feeds’ event UIDs start with it', example: 'SUBMISSION-2026' }) id!: string;
  @ApiProperty({ enum: PROGRAM_PERIOD_KINDS, enumName: 'ProgramPeriodKind', example: 'SUBMISSION' }) kind!: ProgramPeriodKind;
  @ApiProperty({ description: 'The performance year the period belongs to (submission and targeted review run in the year after it)', example: 2026 })
  performanceYear!: number;
  @ApiProperty({ example: 'Submission period (2026 performance year)' }) name!: string;
  @ApiProperty({ format: 'date', description: 'First day (a UTC day, inclusive)', example: '2027-01-02' }) startsOn!: string;
  @ApiProperty({ format: 'date', description: 'Last day (a UTC day, inclusive)', example: '2027-03-31' }) endsOn!: string;
  @ApiProperty({ format: 'date-time', description: 'The instant it opens', example: '2027-01-02T00:00:00.000Z' }) startsAt!: string;
  @ApiProperty({ format: 'date-time', description: 'The instant it closes (exclusive)', example: '2027-04-01T00:00:00.000Z' }) endsAt!: string;
  @ApiProperty({ description: 'A period of high request volume: reminders go sooner during it (HIGH_VOLUME_PERIODS)', example: true }) highVolume!: boolean;
  @ApiProperty({ description: 'Open at asOf', example: false }) open!: boolean;
}

@ApiSchema({ name: 'ProgramCalendar' })
export class ProgramCalendarResponse implements ProgramCalendarView {
  @ApiProperty({ format: 'date-time', description: 'The minute the answer describes (open and highVolumeNow are as of then)', example: '2026-12-02T14:05:00.000Z' })
  asOf!: string;
  @ApiProperty({ type: () => [ProgramPeriodResponse], description: 'The periods that overlap this calendar year and the next, in the order they open' })
  periods!: ProgramPeriodResponse[];
  @ApiProperty({ type: [String], description: 'The ids of the periods open at asOf', example: ['TARGETED_REVIEW-2025'] }) openNow!: string[];
  @ApiProperty({ description: 'Whether a high-volume period is open at asOf', example: false }) highVolumeNow!: boolean;
}

@ApiSchema({ name: 'CalendarFeed' })
export class CalendarFeedResponse implements CalendarFeedView {
  @ApiProperty({
    format: 'uri',
    description: 'The caller’s personal iCalendar feed: subscribe to it in a calendar app. Whoever has it can read the feed: keep it private, or get a new one',
    example: 'https://am.example.gov/api/v1/program-calendar/feeds/amcal_3q2Xk9vR1bTn6yHc0pLs8wEa4uJd7fGz5mQo2iVx1Ke.ics',
  })
  url!: string;
  @ApiProperty({ format: 'date-time', description: 'When this URL was issued (a new link replaces it)', example: '2026-12-02T14:05:09.123Z' }) issuedAt!: string;
}

@ApiSchema({ name: 'RotatedCalendarFeed' })
export class RotatedCalendarFeedResponse implements CalendarFeedView {
  // Optional in the document: a replay of the rotation (same Idempotency-Key) has no `url` but
  // `urlWithheld` (idempotency.interceptor.ts): the idempotency store keeps no working feed URL.
  @ApiPropertyOptional({
    format: 'uri',
    description: 'The new personal feed URL: the old one answers 404 from now on. Absent from a replay of the rotation (same Idempotency-Key), which has urlWithheld instead',
    example: 'https://am.example.gov/api/v1/program-calendar/feeds/amcal_Vb7nQ2xL0kR9tYc4hJm1sPq8wEz3uKd6fGa5oNi2XyT.ics',
  })
  url!: string;
  @ApiProperty({ format: 'date-time', description: 'When the new URL was issued', example: '2026-12-02T14:05:09.123Z' }) issuedAt!: string;
  @ApiPropertyOptional({ description: 'Only in a replay of the rotation (same Idempotency-Key): why `url` is missing. GET /me/calendar-feed shows the current URL.' })
  urlWithheld?: string;
}
