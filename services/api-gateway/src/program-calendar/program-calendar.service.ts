import { Inject, Injectable } from '@nestjs/common';
import ical, { ICalEventTransparency, type ICalCalendar } from 'ical-generator';
import { isOpenAt, periodsOfCalendarYears, type CalendarFeedOwner, type ProgramCalendarRules, type ProgramCalendarView, type ProgramPeriod } from '@am/contracts';
import { programCalendarRules, type ProgramCalendarConfig } from '@am/service-kit';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config/gateway.config';

const DAY_MS = 86_400_000;
/** The iCalendar DATE form of an ISO day: 2027-03-31 → 20270331. */
const icalDate = (isoDay: string) => isoDay.replaceAll('-', '');

/**
 * The program calendar as the gateway answers it (issue 19), from its own configuration (the same
 * variables every service reads): the JSON view, the public iCalendar feed, and a person's feed.
 */
@Injectable()
export class ProgramCalendarService {
  private readonly rules: ProgramCalendarRules;
  /** The host that names every event's UID (`SUBMISSION-2026@<host>`): stable across requests and instances. */
  readonly uidDomain: string;

  constructor(@Inject(GATEWAY_CONFIG) private readonly config: Pick<GatewayConfig, 'WEB_BASE_URL' | keyof ProgramCalendarConfig>) {
    this.rules = programCalendarRules(config);
    this.uidDomain = new URL(config.WEB_BASE_URL).hostname;
  }

  view(now: number): ProgramCalendarView {
    const periods = periodsOfCalendarYears(this.rules, now).map((p) => ({ ...p, open: isOpenAt(p, now) }));
    return {
      asOf: new Date(now).toISOString(),
      periods,
      openNow: periods.filter((p) => p.open).map((p) => p.id),
      highVolumeNow: periods.some((p) => p.open && p.highVolume),
    };
  }

  /** The public feed: every period of this calendar year and the next, as all-day events. */
  publicFeed(now: number): string {
    const calendar = this.calendar('Program calendar');
    for (const p of periodsOfCalendarYears(this.rules, now)) this.addPeriod(calendar, p, now);
    return calendar.toString();
  }

  /**
   * A person's feed: the periods, and in each high-volume period a weekly all-day "Review pending
   * requests" event from its first day until its last (the guide's Helpful Hint), and the due date
   * of each of their open access reviews.
   */
  personalFeed(owner: CalendarFeedOwner, now: number): string {
    const calendar = this.calendar(`Program calendar for ${owner.displayName}`);
    const manageAccess = `${this.config.WEB_BASE_URL}/manage-access`;
    for (const p of periodsOfCalendarYears(this.rules, now)) {
      this.addPeriod(calendar, p, now);
      if (!p.highVolume) continue;
      calendar.createEvent({
        id: `REVIEW-PENDING-${p.id}@${this.uidDomain}`,
        allDay: true,
        start: new Date(p.startsAt),
        end: new Date(Date.parse(p.startsAt) + DAY_MS),
        stamp: stampOf(now),
        summary: 'Review pending requests',
        description: `${p.name} brings a higher volume of access requests. Sign in to review and approve or deny the requests waiting for you: ${manageAccess}`,
        url: manageAccess,
        transparency: ICalEventTransparency.TRANSPARENT,
        // Until the period's last day, as a DATE like DTSTART (RFC 5545 3.3.10); the library would write a DATE-TIME.
        repeating: `FREQ=WEEKLY;UNTIL=${icalDate(p.endsOn)}`,
      });
    }
    for (const r of owner.accessReviews) {
      const due = new Date(r.dueAt);
      const day = Date.UTC(due.getUTCFullYear(), due.getUTCMonth(), due.getUTCDate());
      calendar.createEvent({
        id: `ACCESS-REVIEW-${r.id}@${this.uidDomain}`,
        allDay: true,
        start: new Date(day),
        end: new Date(day + DAY_MS),
        stamp: stampOf(now),
        summary: `Access review due: ${r.organizationName}`,
        description: `The access review of ${r.organizationName} is due ${r.dueAt}. Keep or remove its users before then: ${this.config.WEB_BASE_URL}/access-reviews/${r.id}`,
        url: `${this.config.WEB_BASE_URL}/access-reviews/${r.id}`,
        transparency: ICalEventTransparency.TRANSPARENT,
      });
    }
    return calendar.toString();
  }

  private calendar(name: string): ICalCalendar {
    return ical({
      name: `Access Manager: ${name}`,
      description: 'The quality program’s registration, submission and targeted review periods (all dates UTC days).',
      prodId: { company: 'Access Manager', product: 'Program calendar', language: 'EN' },
      // Calendar clients refresh a subscription about this often (X-PUBLISHED-TTL).
      ttl: 12 * 3600,
      url: `${this.config.WEB_BASE_URL}/manage-access`,
      scale: 'GREGORIAN',
    });
  }

  private addPeriod(calendar: ICalCalendar, p: ProgramPeriod, now: number): void {
    calendar.createEvent({
      id: `${p.id}@${this.uidDomain}`,
      allDay: true,
      start: new Date(p.startsAt),
      end: new Date(p.endsAt),
      stamp: stampOf(now),
      summary: p.name,
      description: `${p.name}: ${p.startsOn} to ${p.endsOn} (inclusive).${p.highVolume ? ' Expect a higher volume of access requests: review pending requests often.' : ''}`,
      transparency: ICalEventTransparency.TRANSPARENT,
    });
  }
}

/**
 * DTSTAMP: the start of the day (UTC), not the instant, so the feed's bytes (and its ETag) stay the
 * same all day, and a client's conditional request gets 304.
 */
function stampOf(now: number): Date {
  return new Date(now - (now % DAY_MS));
}
