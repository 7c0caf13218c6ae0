/**
 * When a user's daily digest is due (issue 19): once their local time (in their IANA time zone, by
 * Intl, so daylight saving and half-hour zones follow the zone's rules) has passed their digest
 * hour, unless a digest already went out for that local date. A run missed at the hour (an
 * outage, a stopped service) is caught up by the next run the same local day.
 */

/** The local calendar date (YYYY-MM-DD) and hour (0-23) at `at` in `timeZone`. */
export function localTime(at: Date, timeZone: string): { date: string; hour: number } {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', hourCycle: 'h23' }).formatToParts(at);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)!.value;
  return { date: `${part('year')}-${part('month')}-${part('day')}`, hour: Number(part('hour')) };
}

export interface DigestSchedule {
  digestHour: number;
  timeZone: string;
  /** The local date of the last digest run for the user (YYYY-MM-DD), if any. */
  sentFor: string | null;
}

/** The local date whose digest is due at `at`, or null when none is (before the hour, or sent already). */
export function dueDigestDate(at: Date, s: DigestSchedule): string | null {
  const local = localTime(at, s.timeZone);
  if (local.hour < s.digestHour) return null;
  // ISO dates compare as strings; a date at or after the local date was sent already.
  if (s.sentFor !== null && s.sentFor >= local.date) return null;
  return local.date;
}
