/**
 * The program's calendar (issue 19): the named periods of each performance year, from one set of
 * rules. Pure and deterministic (no clock, no I/O), so the gateway answers it, the directory holds
 * rule 11 to it, and a workflow computes its reminders from it, all alike.
 *
 * Every date is a UTC day; a period runs from 00:00 UTC of its first day to 00:00 UTC after its
 * last. Month-day rules give each year's dates; an override gives one year's period its own dates
 * (the program moves them in some years), to the instant if need be.
 */

export const PROGRAM_PERIOD_KINDS = ['REGISTRATION', 'SUBMISSION', 'TARGETED_REVIEW'] as const;
export type ProgramPeriodKind = (typeof PROGRAM_PERIOD_KINDS)[number];

export const PROGRAM_PERIOD_NAMES: Record<ProgramPeriodKind, string> = {
  REGISTRATION: 'CMS Web Interface and CAHPS for MIPS registration',
  SUBMISSION: 'Submission period',
  TARGETED_REVIEW: 'Targeted review period',
};

export interface MonthDay {
  month: number;
  day: number;
}

/** A yearly span of month-days, inclusive: "04-01/06-30". It may wrap the new year ("11-15/01-31"). */
export interface MonthDayRange {
  opens: MonthDay;
  closes: MonthDay;
}

/** One year's period given its own dates: ISO dates (whole UTC days, inclusive) or instants (end exclusive). */
export interface ProgramPeriodOverride {
  kind: ProgramPeriodKind;
  performanceYear: number;
  starts: string;
  ends: string;
}

export interface ProgramCalendarRules {
  /** Rule 11: during the performance year. */
  registration: MonthDayRange;
  /** In the year after the performance year. */
  submission: MonthDayRange;
  /** Performance feedback is released on this day of the year after the performance year; targeted review runs this many days from it. */
  targetedReview: { feedbackReleasedOn: MonthDay; days: number };
  /** The periods that bring a high volume of requests: reminders go sooner in them. */
  highVolume: ProgramPeriodKind[];
  overrides: ProgramPeriodOverride[];
}

export interface ProgramPeriod {
  /** `<KIND>-<performance year>`, stable: e.g. SUBMISSION-2026. */
  id: string;
  kind: ProgramPeriodKind;
  performanceYear: number;
  name: string;
  /** First and last day (UTC, inclusive). */
  startsOn: string;
  endsOn: string;
  /** The instants it starts and ends (ISO 8601, end exclusive). */
  startsAt: string;
  endsAt: string;
  highVolume: boolean;
}

/** A span of time in epoch milliseconds, end exclusive. */
export interface TimeSpan {
  from: number;
  to: number;
}

const MONTH_DAY = /^(\d{2})-(\d{2})$/;
const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const DAY_MS = 86_400_000;

export function parseMonthDay(text: string): MonthDay | null {
  const m = MONTH_DAY.exec(text);
  if (!m) return null;
  const d = { month: +m[1], day: +m[2] };
  return d.month >= 1 && d.month <= 12 && d.day >= 1 && d.day <= DAYS_IN_MONTH[d.month - 1] ? d : null;
}

/** Parses "MM-DD/MM-DD"; null when it is not one (the configuration reports it). */
export function parseMonthDayRange(text: string): MonthDayRange | null {
  const [a, b, ...rest] = text.split('/');
  if (b === undefined || rest.length) return null;
  const [opens, closes] = [parseMonthDay(a), parseMonthDay(b)];
  return opens && closes ? { opens, closes } : null;
}

const ordinal = (d: MonthDay) => d.month * 100 + d.day;
const pad = (n: number, width = 2) => String(n).padStart(width, '0');
export const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** 00:00 UTC of a month-day in a year; 29 February of a common year is 1 March. */
function dayStart(year: number, d: MonthDay): number {
  return Date.UTC(year, d.month - 1, d.day);
}

/** An override's bound: an ISO date is a whole UTC day (the end day included); an instant is itself. */
function boundMs(text: string, end: boolean): number {
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) return Date.parse(`${text}T00:00:00Z`) + (end ? DAY_MS : 0);
  return Date.parse(text);
}

/** Whether an override's bound is an ISO date or an instant with its zone; the message says which rule it breaks. */
export function overrideBoundProblem(text: string): string | null {
  const date = /^\d{4}-\d{2}-\d{2}$/.test(text) && !Number.isNaN(Date.parse(`${text}T00:00:00Z`)) && isoDay(Date.parse(`${text}T00:00:00Z`)) === text;
  const instant = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(text) && !Number.isNaN(Date.parse(text));
  return date || instant ? null : `must be an ISO date (2027-01-04) or an instant with its zone (2027-01-04T05:00:00Z), got "${text}"`;
}

/** The span of one period of one performance year, by its rule or its override. */
function spanOf(rules: ProgramCalendarRules, kind: ProgramPeriodKind, year: number): TimeSpan {
  const override = rules.overrides.find((o) => o.kind === kind && o.performanceYear === year);
  if (override) return { from: boundMs(override.starts, false), to: boundMs(override.ends, true) };
  const range = (r: MonthDayRange, y: number): TimeSpan => {
    const closesYear = ordinal(r.closes) < ordinal(r.opens) ? y + 1 : y;
    return { from: dayStart(y, r.opens), to: dayStart(closesYear, r.closes) + DAY_MS };
  };
  switch (kind) {
    case 'REGISTRATION':
      return range(rules.registration, year);
    case 'SUBMISSION':
      return range(rules.submission, year + 1);
    case 'TARGETED_REVIEW': {
      const from = dayStart(year + 1, rules.targetedReview.feedbackReleasedOn);
      return { from, to: from + rules.targetedReview.days * DAY_MS };
    }
  }
}

function periodOf(rules: ProgramCalendarRules, kind: ProgramPeriodKind, year: number): ProgramPeriod {
  const span = spanOf(rules, kind, year);
  return {
    id: `${kind}-${year}`,
    kind,
    performanceYear: year,
    name: `${PROGRAM_PERIOD_NAMES[kind]} (${year} performance year)`,
    startsOn: isoDay(span.from),
    endsOn: isoDay(span.to - 1),
    startsAt: new Date(span.from).toISOString(),
    endsAt: new Date(span.to).toISOString(),
    highVolume: rules.highVolume.includes(kind),
  };
}

/** Every period of these performance years, in the order they start. */
export function periodsOfYears(rules: ProgramCalendarRules, firstYear: number, lastYear: number): ProgramPeriod[] {
  const periods: ProgramPeriod[] = [];
  for (let year = firstYear; year <= lastYear; year++) for (const kind of PROGRAM_PERIOD_KINDS) periods.push(periodOf(rules, kind, year));
  return periods.sort((a, b) => a.startsAt.localeCompare(b.startsAt) || a.id.localeCompare(b.id));
}

/**
 * The periods that overlap [from, to): those of the performance years around them (a performance
 * year's periods run into the next two calendar years).
 */
export function periodsBetween(rules: ProgramCalendarRules, from: number, to: number): ProgramPeriod[] {
  const first = new Date(from).getUTCFullYear() - 2;
  const last = new Date(to).getUTCFullYear() + 1;
  return periodsOfYears(rules, first, last).filter((p) => Date.parse(p.startsAt) < to && Date.parse(p.endsAt) > from);
}

/** The periods of the calendar year of `now` and the next (what GET /program-calendar answers). */
export function periodsOfCalendarYears(rules: ProgramCalendarRules, now: number): ProgramPeriod[] {
  const year = new Date(now).getUTCFullYear();
  return periodsBetween(rules, Date.UTC(year, 0, 1), Date.UTC(year + 2, 0, 1));
}

/** The period of this kind open at `now`, else the next one to open. */
export function currentOrNextPeriod(rules: ProgramCalendarRules, kind: ProgramPeriodKind, now: number): ProgramPeriod {
  const year = new Date(now).getUTCFullYear();
  const candidates = periodsOfYears(rules, year - 2, year + 2).filter((p) => p.kind === kind && Date.parse(p.endsAt) > now);
  return candidates[0];
}

export function isOpenAt(period: ProgramPeriod, now: number): boolean {
  return Date.parse(period.startsAt) <= now && now < Date.parse(period.endsAt);
}

/** The high-volume spans that overlap [from, to), merged where they touch or overlap, in order. */
export function highVolumeSpans(rules: ProgramCalendarRules, from: number, to: number): TimeSpan[] {
  const spans = periodsBetween(rules, from, to)
    .filter((p) => p.highVolume)
    .map((p) => ({ from: Date.parse(p.startsAt), to: Date.parse(p.endsAt) }))
    .sort((a, b) => a.from - b.from);
  const merged: TimeSpan[] = [];
  for (const s of spans) {
    const last = merged.at(-1);
    if (last && s.from <= last.to) last.to = Math.max(last.to, s.to);
    else merged.push({ ...s });
  }
  return merged;
}

/**
 * What is wrong with a set of rules, every problem at once (the configuration lists them at
 * start-up): overrides that repeat a period or end before they start, and periods of one kind
 * that overlap from one year to the next (month-day rules alone cannot; an override can).
 */
export function calendarProblems(rules: ProgramCalendarRules, now: number): { path: string; message: string }[] {
  const problems: { path: string; message: string }[] = [];
  const seen = new Set<string>();
  rules.overrides.forEach((o, i) => {
    const key = `${o.kind}-${o.performanceYear}`;
    if (seen.has(key)) problems.push({ path: `PROGRAM_CALENDAR_OVERRIDES.${i}`, message: `overrides ${key} a second time` });
    seen.add(key);
    const span = spanOf(rules, o.kind, o.performanceYear);
    if (!(span.to > span.from)) problems.push({ path: `PROGRAM_CALENDAR_OVERRIDES.${i}.ends`, message: `must be after starts (${o.starts})` });
    else if (span.to - span.from > 366 * DAY_MS) problems.push({ path: `PROGRAM_CALENDAR_OVERRIDES.${i}.ends`, message: 'a period lasts at most 366 days' });
  });
  if (rules.targetedReview.days > 300) problems.push({ path: 'TARGETED_REVIEW_DAYS', message: 'must be at most 300 days (one targeted review period a year)' });
  for (const kind of PROGRAM_PERIOD_KINDS) {
    const years = [...new Set([new Date(now).getUTCFullYear(), ...rules.overrides.filter((o) => o.kind === kind).map((o) => o.performanceYear)])];
    for (const year of years) {
      for (const [a, b] of [
        [year - 1, year],
        [year, year + 1],
      ]) {
        const [first, second] = [spanOf(rules, kind, a), spanOf(rules, kind, b)];
        if (second.from < first.to) {
          const message = `${kind}-${a} (to ${isoDay(first.to - 1)}) overlaps ${kind}-${b} (from ${isoDay(second.from)})`;
          if (!problems.some((p) => p.message === message)) problems.push({ path: 'PROGRAM_CALENDAR_OVERRIDES', message });
        }
      }
    }
  }
  return problems;
}

/** "MM-DD" of a month-day, for messages and configuration. */
export function formatMonthDay(d: MonthDay): string {
  return `${pad(d.month)}-${pad(d.day)}`;
}
