import { commonShape, env, loadConfig, programCalendarRules, programCalendarShape } from './config';

describe('loadConfig', () => {
  it('applies defaults', () => {
    const c = loadConfig(commonShape, {});
    expect(c).toMatchObject({ TEMPORAL_ADDRESS: '127.0.0.1:7233', DIRECTORY_PORT: 4001, NODE_ENV: 'development' });
  });

  it('lists every invalid variable at once', () => {
    const shape = { ...commonShape, LIMIT: env.positiveInt(5) };
    let message = '';
    try {
      loadConfig(shape, { DIRECTORY_PORT: '70000', NODE_ENV: 'staging', LIMIT: '-1' });
    } catch (e) {
      message = (e as Error).message;
    }
    const named = message.split('\n').slice(1).map((l) => l.trim().split(':')[0]);
    expect(named.sort()).toEqual(['DIRECTORY_PORT', 'LIMIT', 'NODE_ENV']);
  });

  describe('the program calendar (issue 19)', () => {
    const problemsOf = (vars: Record<string, string>) => {
      try {
        loadConfig(programCalendarShape, vars);
        return [];
      } catch (e) {
        return (e as Error).message.split('\n').slice(1).map((l) => l.trim());
      }
    };

    it('defaults to the program’s usual dates', () => {
      const rules = programCalendarRules(loadConfig(programCalendarShape, {}));
      expect(rules).toEqual({
        registration: { opens: { month: 4, day: 1 }, closes: { month: 6, day: 30 } },
        submission: { opens: { month: 1, day: 2 }, closes: { month: 3, day: 31 } },
        targetedReview: { feedbackReleasedOn: { month: 7, day: 1 }, days: 60 },
        highVolume: ['SUBMISSION', 'TARGETED_REVIEW'],
        overrides: [],
      });
    });

    it('reads a year’s override and the high-volume periods', () => {
      const overrides = JSON.stringify([{ kind: 'SUBMISSION', performanceYear: 2026, starts: '2027-01-04', ends: '2027-04-01T04:00:00Z' }]);
      const rules = programCalendarRules(loadConfig(programCalendarShape, { PROGRAM_CALENDAR_OVERRIDES: overrides, HIGH_VOLUME_PERIODS: 'SUBMISSION' }));
      expect(rules.overrides).toEqual([{ kind: 'SUBMISSION', performanceYear: 2026, starts: '2027-01-04', ends: '2027-04-01T04:00:00Z' }]);
      expect(rules.highVolume).toEqual(['SUBMISSION']);
      expect(programCalendarRules(loadConfig(programCalendarShape, { HIGH_VOLUME_PERIODS: 'none' })).highVolume).toEqual([]);
    });

    it('fails at start-up listing every problem of the calendar', () => {
      const problems = problemsOf({
        REGISTRATION_WINDOW: '04-01/06-31',
        SUBMISSION_PERIOD: 'January',
        FEEDBACK_RELEASED_ON: '13-01',
        TARGETED_REVIEW_DAYS: '0',
        HIGH_VOLUME_PERIODS: 'SUBMISSION,HOLIDAYS',
        PROGRAM_CALENDAR_OVERRIDES: JSON.stringify([{ kind: 'SUBMISSION', performanceYear: 2026, starts: 'soon', ends: '2027-02-30', extra: 1 }]),
      });
      expect(problems.map((p) => p.split(':')[0]).sort()).toEqual(
        ['FEEDBACK_RELEASED_ON', 'HIGH_VOLUME_PERIODS', 'PROGRAM_CALENDAR_OVERRIDES', 'PROGRAM_CALENDAR_OVERRIDES', 'PROGRAM_CALENDAR_OVERRIDES', 'REGISTRATION_WINDOW', 'SUBMISSION_PERIOD', 'TARGETED_REVIEW_DAYS'],
      );
      expect(problems.join('\n')).toMatch(/HIGH_VOLUME_PERIODS: .*unknown: HOLIDAYS/);
      expect(problems.join('\n')).toMatch(/0\.starts: must be an ISO date .*got "soon"/);
      expect(problems.join('\n')).toMatch(/0: Unrecognized key.*extra/i);
    });

    it('refuses periods that overlap from one year to the next, and an override that ends before it starts', () => {
      const overrides = JSON.stringify([
        { kind: 'SUBMISSION', performanceYear: 2026, starts: '2027-03-01', ends: '2027-02-01' },
        { kind: 'REGISTRATION', performanceYear: 2026, starts: '2026-06-01', ends: '2027-04-10' },
      ]);
      expect(problemsOf({ PROGRAM_CALENDAR_OVERRIDES: overrides })).toEqual([
        'PROGRAM_CALENDAR_OVERRIDES.0.ends: must be after starts (2027-03-01)',
        'PROGRAM_CALENDAR_OVERRIDES: REGISTRATION-2026 (to 2027-04-10) overlaps REGISTRATION-2027 (from 2027-04-01)',
      ]);
    });
  });
});
