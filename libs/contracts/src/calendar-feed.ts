import type { ProvenCommand } from './messages';
import type { ProgramPeriod } from './program-calendar';

/**
 * The program calendar over HTTP and as an iCalendar feed (issue 19): the public periods, and a
 * personal subscription URL whose token the directory keeps (a SHA-256 to find it, the token sealed
 * to show it again; never in the clear).
 */

/** A period as GET /program-calendar answers it: whether it is open at the time of the answer. */
export interface ProgramPeriodView extends ProgramPeriod {
  open: boolean;
}

export interface ProgramCalendarView {
  /** The instant the answer describes (open and highVolumeNow are as of then). */
  asOf: string;
  /** The periods that overlap the current calendar year and the next, in the order they start. */
  periods: ProgramPeriodView[];
  /** The ids of the periods open now. */
  openNow: string[];
  /** Whether a high-volume period is open now (reminders go sooner). */
  highVolumeNow: boolean;
}

/** The personal feed's token: `amcal_` and 43 base64url characters (256 random bits). */
export const CALENDAR_FEED_TOKEN_PATTERN = /^amcal_[A-Za-z0-9_-]{43}$/;

/** GET /me/calendar-feed (issued on first use) and POST /me/calendar-feed/rotate: proven, for the caller themself. */
export interface CalendarFeedCommand extends ProvenCommand {
  userId: string;
}

/** The directory's answer: the token (for the gateway to put in the URL) and when it was issued. */
export interface CalendarFeedToken {
  token: string;
  issuedAt: string;
}

/** What the user sees: their subscription URL. */
export interface CalendarFeedView {
  url: string;
  issuedAt: string;
}

/** The public feed URL carries the token: the directory finds its owner, or answers NOT_FOUND. */
export interface ResolveCalendarFeedRequest {
  token: string;
}

/** The feed's owner and what goes in their feed beyond the program's periods. */
export interface CalendarFeedOwner {
  userId: string;
  displayName: string;
  /** Their open access reviews (issue 18), each with its due date. */
  accessReviews: { id: string; organizationName: string; dueAt: string }[];
}
