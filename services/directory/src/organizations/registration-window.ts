/** A yearly window of month-days, inclusive, in UTC: "04-01/06-30" is April 1 to June 30 (rule 11). */
export interface RegistrationWindow {
  opens: MonthDay;
  closes: MonthDay;
}
interface MonthDay {
  month: number;
  day: number;
}

const PATTERN = /^(\d{2})-(\d{2})\/(\d{2})-(\d{2})$/;
const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Parses "MM-DD/MM-DD"; returns null when it is not one (the config schema reports it). */
export function parseRegistrationWindow(text: string): RegistrationWindow | null {
  const m = PATTERN.exec(text);
  if (!m) return null;
  const [opens, closes] = [{ month: +m[1], day: +m[2] }, { month: +m[3], day: +m[4] }];
  const valid = (d: MonthDay) => d.month >= 1 && d.month <= 12 && d.day >= 1 && d.day <= DAYS_IN_MONTH[d.month - 1];
  return valid(opens) && valid(closes) ? { opens, closes } : null;
}

const ordinal = (d: MonthDay) => d.month * 100 + d.day;

/** Whether `now` falls inside the window; a window may wrap the new year ("11-15/01-31"). */
export function isWindowOpen(w: RegistrationWindow, now: Date): boolean {
  const today = ordinal({ month: now.getUTCMonth() + 1, day: now.getUTCDate() });
  const [from, to] = [ordinal(w.opens), ordinal(w.closes)];
  return from <= to ? today >= from && today <= to : today >= from || today <= to;
}

/** The window's dates around `now`: the current one when open, otherwise the next one. */
export function windowDates(w: RegistrationWindow, now: Date): { opens: string; closes: string } {
  const year = now.getUTCFullYear();
  const iso = (y: number, d: MonthDay) => `${y}-${String(d.month).padStart(2, '0')}-${String(d.day).padStart(2, '0')}`;
  const wraps = ordinal(w.opens) > ordinal(w.closes);
  const today = ordinal({ month: now.getUTCMonth() + 1, day: now.getUTCDate() });
  if (!wraps) {
    const y = today > ordinal(w.closes) ? year + 1 : year;
    return { opens: iso(y, w.opens), closes: iso(y, w.closes) };
  }
  if (today <= ordinal(w.closes)) return { opens: iso(year - 1, w.opens), closes: iso(year, w.closes) };
  return { opens: iso(year, w.opens), closes: iso(year + 1, w.closes) };
}
