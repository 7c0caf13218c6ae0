import { escalatesWith, nextReminderDue, type ReminderCalendar } from './reminder-pace';
import type { RequestTimings } from './role-request';

const H = 3_600_000;
const D = 24 * H;
const t0 = Date.parse('2027-01-01T00:00:00Z');
const timings: RequestTimings = { firstReminderAfterMs: 2 * D, reminderIntervalMs: 3 * D, escalateWithReminder: 3, expireAfterMs: 30 * D };
const iso = (ms: number) => new Date(ms).toISOString();
/** The submission period: 2 January to 31 March, high volume, reminding after 1 day, then daily, escalating with the 3rd. */
const calendar: ReminderCalendar = {
  highVolume: [{ from: iso(t0 + D), to: iso(t0 + 90 * D) }],
  pace: { firstReminderAfterMs: D, reminderIntervalMs: D, escalateWithReminder: 3 },
};
const none: ReminderCalendar = { highVolume: [], pace: calendar.pace };

/** The due times of the first n reminders of a request submitted at `since`, each counted from the previous one. */
function schedule(cal: ReminderCalendar, since: number, n: number): number[] {
  const due: number[] = [];
  for (let last = since, sent = 0; sent < n; sent++) due.push((last = nextReminderDue(timings, cal, last, sent)));
  return due;
}

describe('reminders follow the program calendar (issue 19)', () => {
  it('keeps the usual pace outside high-volume periods: 2 days, then every 3', () => {
    expect(schedule(none, t0, 3).map((t) => (t - t0) / D)).toEqual([2, 5, 8]);
  });

  it('reminds daily inside a high-volume period', () => {
    const since = t0 + 10 * D;
    expect(schedule(calendar, since, 4).map((t) => (t - since) / D)).toEqual([1, 2, 3, 4]);
  });

  it('changes pace at the period’s start: a request submitted 5 hours before it is reminded a day after submission', () => {
    const since = t0 + D - 5 * H;
    expect(schedule(calendar, since, 3).map((t) => (t - since) / H)).toEqual([24, 48, 72]);
  });

  it('a request submitted 1.5 days before the start is reminded at the start (it has waited longer than a day by then)', () => {
    const since = t0 - 12 * H;
    expect(schedule(calendar, since, 2).map(iso)).toEqual([iso(t0 + D), iso(t0 + 2 * D)]);
  });

  it('changes pace at the period’s end: after it, the usual interval from the last reminder', () => {
    const end = t0 + 90 * D;
    const since = end - 36 * H;
    const due = schedule(calendar, since, 3);
    expect(due.map((t) => (t - end) / H)).toEqual([-12, 60, 132]);
  });

  it('escalates with the 3rd reminder inside a period, with the usual one outside, and once', () => {
    const inside = t0 + 5 * D;
    expect([1, 2, 3].map((n) => escalatesWith(timings, calendar, n, inside, false))).toEqual([false, false, true]);
    expect(escalatesWith(timings, calendar, 4, inside, true)).toBe(false);
    const fast = { ...calendar, pace: { ...calendar.pace, escalateWithReminder: 2 } };
    expect(escalatesWith(timings, fast, 2, inside, false)).toBe(true);
    expect(escalatesWith(timings, fast, 2, t0 + 100 * D, false)).toBe(false);
    expect(escalatesWith(timings, fast, 3, t0 + 100 * D, false)).toBe(true);
  });
});
