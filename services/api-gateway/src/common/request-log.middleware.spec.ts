import { loggablePath } from './request-log.middleware';

describe('loggablePath', () => {
  it('logs no query and no personal calendar feed token (the URL’s credential)', () => {
    expect(loggablePath('/api/v1/organizations?q=acme')).toBe('/api/v1/organizations');
    expect(loggablePath(`/api/v1/program-calendar/feeds/amcal_${'k'.repeat(43)}.ics?x=1`)).toBe('/api/v1/program-calendar/feeds/[token]');
    expect(loggablePath('/api/v1/program-calendar.ics')).toBe('/api/v1/program-calendar.ics');
  });
});
