import { dueDigestDate, localTime } from './digest-time';

const at = (iso: string) => new Date(iso);
const ny = (digestHour: number, sentFor: string | null = null) => ({ digestHour, timeZone: 'America/New_York', sentFor });

describe('the daily digest’s due time (issue 19)', () => {
  it('reads the local date and hour in the zone, across the date line', () => {
    expect(localTime(at('2026-12-02T03:30:00Z'), 'America/New_York')).toEqual({ date: '2026-12-01', hour: 22 });
    expect(localTime(at('2026-12-02T03:30:00Z'), 'Pacific/Auckland')).toEqual({ date: '2026-12-02', hour: 16 });
    expect(localTime(at('2026-12-02T00:00:00Z'), 'UTC')).toEqual({ date: '2026-12-02', hour: 0 });
  });

  it('is due from the hour on, for the local date, until a digest is sent for it', () => {
    // 08:00 in New York in winter is 13:00 UTC.
    expect(dueDigestDate(at('2026-12-02T12:59:59Z'), ny(8))).toBeNull();
    expect(dueDigestDate(at('2026-12-02T13:00:00Z'), ny(8))).toBe('2026-12-02');
    expect(dueDigestDate(at('2026-12-03T04:59:00Z'), ny(8))).toBe('2026-12-02'); // 23:59 local: a missed run is caught up
    expect(dueDigestDate(at('2026-12-02T15:00:00Z'), ny(8, '2026-12-02'))).toBeNull();
    expect(dueDigestDate(at('2026-12-03T13:00:00Z'), ny(8, '2026-12-02'))).toBe('2026-12-03');
    // Just after local midnight the new day's digest is not due before its hour.
    expect(dueDigestDate(at('2026-12-03T05:01:00Z'), ny(8, '2026-12-02'))).toBeNull();
  });

  it('follows daylight saving time: the same local hour is another UTC hour in summer', () => {
    // New York is UTC-4 in July: 08:00 local is 12:00 UTC.
    expect(dueDigestDate(at('2026-07-01T11:59:00Z'), ny(8))).toBeNull();
    expect(dueDigestDate(at('2026-07-01T12:00:00Z'), ny(8))).toBe('2026-07-01');
    // The spring-forward day (8 March 2026): 02:00-03:00 local does not exist; a 2 o'clock digest goes out at 03:00.
    expect(dueDigestDate(at('2026-03-08T06:59:00Z'), ny(2))).toBeNull(); // 01:59 EST
    expect(dueDigestDate(at('2026-03-08T07:00:00Z'), ny(2))).toBe('2026-03-08'); // 03:00 EDT
    // The fall-back day (1 November 2026): 01:00 local happens twice; the digest is sent once for the date.
    expect(dueDigestDate(at('2026-11-01T05:00:00Z'), ny(1))).toBe('2026-11-01'); // 01:00 EDT
    expect(dueDigestDate(at('2026-11-01T06:00:00Z'), ny(1, '2026-11-01'))).toBeNull(); // 01:00 EST, again
  });

  it('takes half-hour and quarter-hour zones at their own hour', () => {
    // India is UTC+5:30: 09:00 local is 03:30 UTC.
    const kolkata = { digestHour: 9, timeZone: 'Asia/Kolkata', sentFor: null };
    expect(dueDigestDate(at('2026-12-02T03:29:00Z'), kolkata)).toBeNull();
    expect(dueDigestDate(at('2026-12-02T03:30:00Z'), kolkata)).toBe('2026-12-02');
    // Nepal is UTC+5:45: 07:00 local is 01:15 UTC.
    const kathmandu = { digestHour: 7, timeZone: 'Asia/Kathmandu', sentFor: null };
    expect(dueDigestDate(at('2026-12-02T01:14:00Z'), kathmandu)).toBeNull();
    expect(dueDigestDate(at('2026-12-02T01:15:00Z'), kathmandu)).toBe('2026-12-02');
  });

  it('takes hour 0 and hour 23 at the edges of the local day', () => {
    expect(dueDigestDate(at('2026-12-02T05:00:00Z'), ny(0, '2026-12-01'))).toBe('2026-12-02');
    expect(dueDigestDate(at('2026-12-03T03:59:00Z'), ny(23))).toBeNull(); // 22:59 local
    expect(dueDigestDate(at('2026-12-03T04:00:00Z'), ny(23))).toBe('2026-12-02'); // 23:00 local, still 2 December there
  });
});
