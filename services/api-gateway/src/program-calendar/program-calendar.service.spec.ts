import ICAL from 'ical.js';
import { loadConfig, programCalendarRules, programCalendarShape } from '@am/service-kit';
import { periodsOfCalendarYears } from '@am/contracts';
import { ProgramCalendarService } from './program-calendar.service';

const config = { ...loadConfig(programCalendarShape, { TARGETED_REVIEW_DAYS: '45' }), WEB_BASE_URL: 'https://am.example.gov' };
const calendar = new ProgramCalendarService(config);
const NOW = Date.parse('2027-02-10T15:30:00Z');

function events(ics: string) {
  const vcalendar = new ICAL.Component(ICAL.parse(ics));
  return vcalendar.getAllSubcomponents('vevent').map((c) => new ICAL.Event(c));
}

describe('ProgramCalendarService', () => {
  it('answers the periods of this calendar year and the next, which are open, and whether now is high-volume', () => {
    const view = calendar.view(NOW);
    expect(view.periods.map((p) => p.id)).toEqual(periodsOfCalendarYears(programCalendarRules(config), NOW).map((p) => p.id));
    expect(view.openNow).toEqual(['SUBMISSION-2026']);
    expect(view.highVolumeNow).toBe(true);
    expect(view.periods.find((p) => p.id === 'TARGETED_REVIEW-2026')).toMatchObject({ startsOn: '2027-07-01', endsOn: '2027-08-14', open: false, highVolume: true });
  });

  it('writes each period as an all-day event with a UID on the configured host, the same bytes all day', () => {
    const ics = calendar.publicFeed(NOW);
    const submission = events(ics).find((e) => e.uid === 'SUBMISSION-2026@am.example.gov')!;
    expect(submission.startDate.isDate).toBe(true);
    expect(submission.startDate.toString()).toBe('2027-01-02');
    // DTEND of an all-day event is exclusive: the day after the last.
    expect(submission.endDate.toString()).toBe('2027-04-01');
    expect(calendar.publicFeed(NOW + 3600_000)).toBe(ics);
  });

  it('adds to a person’s feed a weekly review event in each high-volume period, until its last day, and their access reviews’ due dates', () => {
    const ics = calendar.personalFeed({ userId: 'u', displayName: 'Kelly Dunn', accessReviews: [{ id: 'r1', organizationName: 'Greenville Medical Clinic', dueAt: '2027-02-20T05:00:00.000Z' }] }, NOW);
    const all = events(ics);
    const weekly = all.find((e) => e.uid === 'REVIEW-PENDING-SUBMISSION-2026@am.example.gov')!;
    expect(weekly.summary).toBe('Review pending requests');
    expect(weekly.description).toContain('https://am.example.gov/manage-access');
    const rule = weekly.component.getFirstPropertyValue('rrule') as ICAL.Recur;
    expect(rule.freq).toBe('WEEKLY');
    expect(rule.until?.toString()).toBe('2027-03-31');
    const it = weekly.iterator();
    const dates: string[] = [];
    for (let next = it.next(); next; next = it.next()) dates.push(next.toString());
    expect(dates[0]).toBe('2027-01-02');
    expect(dates.at(-1)).toBe('2027-03-27');
    expect(dates).toHaveLength(13);
    expect(all.filter((e) => e.summary === 'Review pending requests').map((e) => e.uid).sort()).toEqual(
      calendar.view(NOW).periods.filter((p) => p.highVolume).map((p) => `REVIEW-PENDING-${p.id}@am.example.gov`).sort(),
    );
    expect(all.find((e) => e.uid === 'ACCESS-REVIEW-r1@am.example.gov')).toMatchObject({ summary: 'Access review due: Greenville Medical Clinic' });
  });
});
