import {
  calendarProblems,
  currentOrNextPeriod,
  highVolumeSpans,
  isOpenAt,
  parseMonthDayRange,
  periodsOfCalendarYears,
  type ProgramCalendarRules,
} from './program-calendar';

const at = (iso: string) => Date.parse(iso.length === 10 ? `${iso}T12:00:00Z` : iso);
const usual: ProgramCalendarRules = {
  registration: parseMonthDayRange('04-01/06-30')!,
  submission: parseMonthDayRange('01-02/03-31')!,
  targetedReview: { feedbackReleasedOn: { month: 7, day: 1 }, days: 60 },
  highVolume: ['SUBMISSION', 'TARGETED_REVIEW'],
  overrides: [],
};
const registrationOpen = (rules: ProgramCalendarRules, iso: string) => isOpenAt(currentOrNextPeriod(rules, 'REGISTRATION', at(iso)), at(iso));
const registrationDates = (rules: ProgramCalendarRules, iso: string) => {
  const p = currentOrNextPeriod(rules, 'REGISTRATION', at(iso));
  return { opens: p.startsOn, closes: p.endsOn };
};

describe('the program calendar (issue 19)', () => {
  it('gives each performance year its registration, submission and targeted review periods', () => {
    const periods = periodsOfCalendarYears(usual, at('2026-12-02'));
    expect(periods.map((p) => [p.id, p.startsOn, p.endsOn, p.highVolume])).toEqual([
      ['SUBMISSION-2025', '2026-01-02', '2026-03-31', true],
      ['REGISTRATION-2026', '2026-04-01', '2026-06-30', false],
      ['TARGETED_REVIEW-2025', '2026-07-01', '2026-08-29', true],
      ['SUBMISSION-2026', '2027-01-02', '2027-03-31', true],
      ['REGISTRATION-2027', '2027-04-01', '2027-06-30', false],
      ['TARGETED_REVIEW-2026', '2027-07-01', '2027-08-29', true],
    ]);
    expect(periods[3]).toMatchObject({ name: 'Submission period (2026 performance year)', startsAt: '2027-01-02T00:00:00.000Z', endsAt: '2027-04-01T00:00:00.000Z' });
  });

  it('lets one year’s period move, to the day or the instant', () => {
    const moved: ProgramCalendarRules = {
      ...usual,
      overrides: [
        { kind: 'SUBMISSION', performanceYear: 2026, starts: '2027-01-04', ends: '2027-04-01' },
        { kind: 'TARGETED_REVIEW', performanceYear: 2026, starts: '2027-08-01T05:00:00Z', ends: '2027-09-30T05:00:00Z' },
      ],
    };
    const byId = new Map(periodsOfCalendarYears(moved, at('2027-02-01')).map((p) => [p.id, p]));
    expect(byId.get('SUBMISSION-2026')).toMatchObject({ startsOn: '2027-01-04', endsOn: '2027-04-01', endsAt: '2027-04-02T00:00:00.000Z' });
    expect(byId.get('TARGETED_REVIEW-2026')).toMatchObject({ startsAt: '2027-08-01T05:00:00.000Z', endsAt: '2027-09-30T05:00:00.000Z' });
    expect(byId.get('SUBMISSION-2027')).toMatchObject({ startsOn: '2028-01-02' });
  });

  it('merges the high-volume periods into spans over a stretch of time', () => {
    const spans = highVolumeSpans(usual, at('2026-12-01'), at('2027-12-01'));
    expect(spans.map((s) => [new Date(s.from).toISOString(), new Date(s.to).toISOString()])).toEqual([
      ['2027-01-02T00:00:00.000Z', '2027-04-01T00:00:00.000Z'],
      ['2027-07-01T00:00:00.000Z', '2027-08-30T00:00:00.000Z'],
    ]);
    const touching: ProgramCalendarRules = { ...usual, highVolume: ['SUBMISSION', 'REGISTRATION'] };
    expect(highVolumeSpans(touching, at('2027-01-01'), at('2027-05-01')).map((s) => new Date(s.to).toISOString())).toEqual(['2027-07-01T00:00:00.000Z']);
  });

  it('lists every problem of a calendar at once', () => {
    const broken: ProgramCalendarRules = {
      ...usual,
      submission: parseMonthDayRange('01-02/01-05')!,
      targetedReview: { feedbackReleasedOn: { month: 7, day: 1 }, days: 400 },
      overrides: [
        { kind: 'SUBMISSION', performanceYear: 2026, starts: '2027-03-01', ends: '2027-02-01' },
        { kind: 'SUBMISSION', performanceYear: 2026, starts: '2027-01-02', ends: '2027-03-31' },
        { kind: 'REGISTRATION', performanceYear: 2027, starts: '2027-04-01', ends: '2028-05-01' },
      ],
    };
    const problems = calendarProblems(broken, at('2026-12-02'));
    expect(problems).toEqual(
      expect.arrayContaining([
        { path: 'PROGRAM_CALENDAR_OVERRIDES.1', message: 'overrides SUBMISSION-2026 a second time' },
        { path: 'PROGRAM_CALENDAR_OVERRIDES.2.ends', message: 'a period lasts at most 366 days' },
        { path: 'TARGETED_REVIEW_DAYS', message: 'must be at most 300 days (one targeted review period a year)' },
        expect.objectContaining({ path: 'PROGRAM_CALENDAR_OVERRIDES', message: expect.stringContaining('REGISTRATION-2027 (to 2028-05-01) overlaps REGISTRATION-2028') }),
      ]),
    );
    expect(calendarProblems(usual, at('2026-12-02'))).toEqual([]);
  });

  describe('the registration window (rule 11)', () => {
    it('is open April 1 through June 30 inclusive, and closed outside', () => {
      expect(['2026-03-31', '2026-04-01', '2026-05-15', '2026-06-30', '2026-07-01', '2026-11-23'].map((d) => registrationOpen(usual, d))).toEqual([false, true, true, true, false, false]);
      expect(registrationOpen(usual, '2026-06-30T23:59:59Z')).toBe(true);
      expect(registrationOpen(usual, '2026-07-01T00:00:00Z')).toBe(false);
    });

    it('wraps the new year when it closes before it opens', () => {
      const winter = { ...usual, registration: parseMonthDayRange('11-15/01-31')! };
      expect(['2026-12-31', '2027-01-10', '2027-02-01'].map((d) => registrationOpen(winter, d))).toEqual([true, true, false]);
      expect(registrationDates(winter, '2027-01-10')).toEqual({ opens: '2026-11-15', closes: '2027-01-31' });
    });

    it('names the current window, or the next one once it has closed', () => {
      expect(registrationDates(usual, '2026-05-01')).toEqual({ opens: '2026-04-01', closes: '2026-06-30' });
      expect(registrationDates(usual, '2026-11-23')).toEqual({ opens: '2027-04-01', closes: '2027-06-30' });
    });

    it('refuses what is not a window of real dates', () => {
      expect(['4-1/6-30', '02-30/06-30', '13-01/06-30', '04-01/06-30/07-01', '04-01'].map(parseMonthDayRange)).toEqual([null, null, null, null, null]);
    });
  });
});
