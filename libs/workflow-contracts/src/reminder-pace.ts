import type { RequestTimings } from './role-request';

/** The reminder pace of a high-volume period (issue 19): sooner than the usual one. */
export interface ReminderPace {
  firstReminderAfterMs: number;
  reminderIntervalMs: number;
  /** The help desk is alerted with this reminder, when it goes out inside a high-volume period. */
  escalateWithReminder: number;
}

/**
 * The program calendar as a request's workflow carries it (issue 19): the high-volume spans over
 * the request's life, read from the calendar when it started, and the pace inside them. Carried in
 * the input, so every wake-up is computed from it alone: a replay computes the same.
 */
export interface ReminderCalendar {
  /** ISO 8601 instants, end exclusive, in order, not overlapping. */
  highVolume: { from: string; to: string }[];
  pace: ReminderPace;
}

/** The pace in effect at `at`: the high-volume one inside a span, else the request's usual timings. */
export function paceAt(timings: RequestTimings, calendar: ReminderCalendar, at: number): ReminderPace {
  const inside = calendar.highVolume.some((s) => Date.parse(s.from) <= at && at < Date.parse(s.to));
  return inside ? calendar.pace : timings;
}

/**
 * When the next reminder is due: the first instant `t` after the last reminder (or the submission)
 * at which the time waited since, `t - lastAt`, reaches the gap of the pace in effect at `t` (the
 * first reminder's gap while none has gone out, then the interval). So a request changes pace at a
 * period's boundary: one waiting 5 hours when a high-volume period begins is reminded 1 day after
 * submission instead of 2; one reminded 12 hours before a period ends waits the usual interval.
 */
export function nextReminderDue(timings: RequestTimings, calendar: ReminderCalendar, lastAt: number, remindersSent: number): number {
  const gap = (p: ReminderPace) => (remindersSent === 0 ? p.firstReminderAfterMs : p.reminderIntervalMs);
  const edges = calendar.highVolume
    .flatMap((s) => [Date.parse(s.from), Date.parse(s.to)])
    .filter((t) => t > lastAt)
    .sort((a, b) => a - b);
  let from = lastAt;
  for (const to of [...edges, Infinity]) {
    const due = Math.max(from, lastAt + gap(paceAt(timings, calendar, from)));
    if (due < to) return due;
    from = to;
  }
  return lastAt + gap(timings);
}

/** Whether reminder `n`, going out at `at`, alerts the help desk: the first reminder at or past the pace's escalation number. */
export function escalatesWith(timings: RequestTimings, calendar: ReminderCalendar, n: number, at: number, escalatedAlready: boolean): boolean {
  return !escalatedAlready && n >= paceAt(timings, calendar, at).escalateWithReminder;
}
