// Issue 19, part 3: the program calendar through the gateway against the real stack: the JSON
// answer against the configured calendar (test/setup/global-setup.ts: a 45-day targeted review),
// the public and personal iCalendar feeds parsed and checked with ical.js, and the personal
// feed's token: shown, rotated (the old URL 404 at once), never in the database in the clear.
import { createHash, randomBytes } from 'node:crypto';
import ICAL from 'ical.js';
import { isOpenAt, periodsOfCalendarYears, type CalendarFeedView, type ProgramCalendarView } from '@am/contracts';
import { query } from '@am/devstack';
import { loadConfig, programCalendarRules, programCalendarShape } from '@am/service-kit';
import { testStack } from '../setup/stack';
import { anonymous, signIn, type Api } from '../support/api';
import { createOrganization, createUser, grantRole } from '../support/factories';

const db = () => testStack().databaseUrl;
const gateway = () => testStack().gatewayUrl;
const rules = () => programCalendarRules(loadConfig(programCalendarShape, testStack().serviceEnv));
const uidHost = () => new URL(testStack().serviceEnv.WEB_BASE_URL!).hostname;
const sha256 = (v: string) => createHash('sha256').update(v).digest('hex');

function parseFeed(ics: string) {
  const calendar = new ICAL.Component(ICAL.parse(ics));
  return { calendar, events: calendar.getAllSubcomponents('vevent').map((c) => new ICAL.Event(c)) };
}

/**
 * A conditional request as a browser's cache revalidates: fetch would otherwise add
 * `Cache-Control: no-cache` to a request with If-None-Match, which asks for the whole answer.
 */
const revalidate = (etag: string) => ({ 'if-none-match': etag, 'cache-control': 'max-age=0' });

/** The token of a feed URL (its last path segment without .ics). */
const tokenOf = (url: string) => /\/([^/]+)\.ics$/.exec(new URL(url).pathname)![1];

async function feedUrl(api: Api): Promise<CalendarFeedView> {
  const res = await api.get<CalendarFeedView>('/api/v1/me/calendar-feed');
  expect(res.status).toBe(200);
  return res.body;
}

describe('program calendar (issue 19)', () => {
  it('GET /program-calendar answers the configured periods of this calendar year and the next, open ones and high volume, publicly cacheable', async () => {
    const res = await fetch(`${gateway()}/api/v1/program-calendar`);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('public, max-age=60');
    const view = (await res.json()) as ProgramCalendarView;
    const asOf = Date.parse(view.asOf);
    expect(Math.abs(Date.now() - asOf)).toBeLessThan(120_000);
    const expected = periodsOfCalendarYears(rules(), asOf);
    expect(view.periods).toEqual(expected.map((p) => ({ ...p, open: isOpenAt(p, asOf) })));
    expect(view.openNow).toEqual(expected.filter((p) => isOpenAt(p, asOf)).map((p) => p.id));
    expect(view.highVolumeNow).toBe(expected.some((p) => p.highVolume && isOpenAt(p, asOf)));
    // The configured 45-day targeted review, not the default 60.
    const targeted = view.periods.find((p) => p.kind === 'TARGETED_REVIEW')!;
    expect((Date.parse(targeted.endsAt) - Date.parse(targeted.startsAt)) / 86_400_000).toBe(45);
    expect(new Set(view.periods.map((p) => p.kind))).toEqual(new Set(['REGISTRATION', 'SUBMISSION', 'TARGETED_REVIEW']));

    // The same answer again, conditionally: 304 without a body (the ETag of the same bytes).
    const etag = res.headers.get('etag');
    expect(etag).toBeTruthy();
    const again = await fetch(`${gateway()}/api/v1/program-calendar`, { headers: revalidate(etag!) });
    // Unless the minute turned in between: then a new answer.
    expect([200, 304]).toContain(again.status);
    if (again.status === 304) expect(await again.text()).toBe('');
  });

  it('GET /program-calendar.ics is a valid RFC 5545 feed of the same periods: all-day events with stable UIDs, public and cacheable', async () => {
    const res = await fetch(`${gateway()}/api/v1/program-calendar.ics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/calendar; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('public, max-age=3600');
    const ics = await res.text();
    expect(ics.startsWith('BEGIN:VCALENDAR\r\n')).toBe(true);
    const { calendar, events } = parseFeed(ics);
    expect(calendar.getFirstPropertyValue('version')).toBe('2.0');
    expect(calendar.getFirstPropertyValue('prodid')).toContain('Access Manager');
    expect(calendar.getFirstPropertyValue('x-wr-calname')).toBe('Access Manager: Program calendar');
    const expected = periodsOfCalendarYears(rules(), Date.now());
    expect(events.map((e) => e.uid)).toEqual(expected.map((p) => `${p.id}@${uidHost()}`));
    for (const [i, e] of events.entries()) {
      expect(e.summary).toBe(expected[i].name);
      expect(e.startDate.isDate).toBe(true);
      expect(e.startDate.toString()).toBe(expected[i].startsOn);
      // DTEND is exclusive: the day after the last.
      expect(e.endDate.toString()).toBe(new Date(expected[i].endsAt).toISOString().slice(0, 10));
      expect(e.component.getFirstPropertyValue('dtstamp')).toBeTruthy();
      expect(e.isRecurring()).toBe(false);
    }
    // The same feed fetched again is the same feed (the UIDs, and the bytes: a 304 for its ETag).
    const etag = res.headers.get('etag');
    expect(etag).toBeTruthy();
    const again = await fetch(`${gateway()}/api/v1/program-calendar.ics`, { headers: revalidate(etag!) });
    expect(again.status).toBe(304);
  });

  it('a person’s feed URL: issued once and shown again, weekly review events in high-volume periods and their access reviews’ due dates, private; rotation ends the old URL at once', async () => {
    const user = await createUser({ displayName: `Cal Endar ${randomBytes(2).toString('hex')}` });
    const org = await createOrganization({ name: `Calendar Clinic ${randomBytes(2).toString('hex')}` });
    await grantRole(user, org, 'SECURITY_OFFICIAL');
    await grantRole(await createUser(), org, 'STAFF_USER');
    const api = await signIn(user);
    const helpDesk = await signIn(await createUser({ platformRole: 'HELP_DESK' }));
    const dueAt = new Date(Date.now() + 3 * 86_400_000).toISOString();
    expect((await helpDesk.post('/api/v1/access-reviews', { organizationId: org.id, dueAt })).status).toBe(201);
    const [review] = (await api.get('/api/v1/me/access-reviews')).body.items as { id: string; organization: { id: string } }[];
    expect(review.organization.id).toBe(org.id);

    const first = await feedUrl(api);
    expect(first.url.startsWith(`${testStack().serviceEnv.WEB_BASE_URL}/api/v1/program-calendar/feeds/amcal_`)).toBe(true);
    expect(await feedUrl(api)).toEqual(first);

    const res = await fetch(first.url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/calendar; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('private, max-age=300');
    const { calendar, events } = parseFeed(await res.text());
    expect(calendar.getFirstPropertyValue('x-wr-calname')).toBe(`Access Manager: Program calendar for ${user.displayName}`);
    const periods = periodsOfCalendarYears(rules(), Date.now());
    for (const p of periods) expect(events.find((e) => e.uid === `${p.id}@${uidHost()}`)?.startDate.toString()).toBe(p.startsOn);
    const weekly = events.filter((e) => e.summary === 'Review pending requests');
    expect(weekly.map((e) => e.uid)).toEqual(periods.filter((p) => p.highVolume).map((p) => `REVIEW-PENDING-${p.id}@${uidHost()}`));
    for (const e of weekly) {
      const period = periods.find((p) => e.uid === `REVIEW-PENDING-${p.id}@${uidHost()}`)!;
      const rule = e.component.getFirstPropertyValue('rrule') as ICAL.Recur;
      expect(rule.freq).toBe('WEEKLY');
      expect(rule.until!.isDate).toBe(true);
      expect(rule.until!.toString()).toBe(period.endsOn);
      expect(e.description).toContain(`${testStack().serviceEnv.WEB_BASE_URL}/manage-access`);
      // Every occurrence falls inside the period, a week apart, the first on its first day.
      const dates: string[] = [];
      const it = e.iterator();
      for (let next = it.next(); next; next = it.next()) dates.push(next.toString());
      expect(dates[0]).toBe(period.startsOn);
      expect(dates.every((d) => d >= period.startsOn && d <= period.endsOn)).toBe(true);
      expect(dates.length).toBe(Math.floor((Date.parse(period.endsAt) - Date.parse(period.startsAt)) / (7 * 86_400_000)) + (((Date.parse(period.endsAt) - Date.parse(period.startsAt)) / 86_400_000) % 7 ? 1 : 0));
    }
    const due = events.find((e) => e.uid === `ACCESS-REVIEW-${review.id}@${uidHost()}`);
    expect(due?.summary).toBe(`Access review due: ${org.name}`);
    expect(due?.startDate.toString()).toBe(dueAt.slice(0, 10));

    // The token is nowhere in the database in the clear: a SHA-256 finds it, the stored copy is sealed.
    const token = tokenOf(first.url);
    const [row] = await query<{ token_hash: string; sealed_token: string }>(db(), 'SELECT token_hash, sealed_token FROM calendar_feed_tokens WHERE user_id = $1::uuid', [user.id]);
    expect(row.token_hash).toBe(sha256(token));
    expect(row.sealed_token.startsWith('v1.')).toBe(true);
    expect(row.sealed_token).not.toContain(token);
    expect(row.sealed_token).not.toContain(token.slice(6, 30));
    const clear = await query<{ n: number }>(db(), `SELECT count(*)::int AS n FROM calendar_feed_tokens WHERE token_hash LIKE 'amcal_%' OR sealed_token LIKE '%amcal_%'`);
    expect(clear).toEqual([{ n: 0 }]);

    // Rotation: a new URL that works, the old one answers 404 (the usual error body) at once, audited.
    const rotated = await api.post<CalendarFeedView>('/api/v1/me/calendar-feed/rotate');
    expect(rotated.status).toBe(200);
    expect(rotated.body.url).not.toBe(first.url);
    const old = await fetch(first.url);
    expect(old.status).toBe(404);
    expect(((await old.json()) as { error: { code: string } }).error.code).toBe('NOT_FOUND');
    expect((await fetch(rotated.body.url)).status).toBe(200);
    expect(await feedUrl(api)).toEqual(rotated.body);
    const audit = await query<{ action: string; actor_id: string; details: Record<string, unknown> }>(
      db(),
      `SELECT action, actor_id::text, details FROM audit_events WHERE subject_id = $1 AND action LIKE 'calendar-feed.%' ORDER BY id`,
      [user.id],
    );
    expect(audit.map((a) => a.action)).toEqual(['calendar-feed.issued', 'calendar-feed.rotated']);
    expect(audit[1].actor_id).toBe(user.id);
    expect(JSON.stringify(audit)).not.toContain(tokenOf(rotated.body.url));
  });

  it('another person’s URL is their own: different, unrelated tokens; unknown and malformed tokens answer 404; a disabled account’s feed answers 404', async () => {
    const [ada, bob] = [await createUser(), await createUser()];
    const [adaUrl, bobUrl] = [(await feedUrl(await signIn(ada))).url, (await feedUrl(await signIn(bob))).url];
    const [a, b] = [tokenOf(adaUrl), tokenOf(bobUrl)];
    expect(a).not.toBe(b);
    // 256 random bits each: nothing of one is in the other (no shared prefix beyond the scheme, no user id).
    expect(a).toMatch(/^amcal_[A-Za-z0-9_-]{43}$/);
    expect(a.slice(6, 16)).not.toBe(b.slice(6, 16));
    for (const t of [a, b]) for (const id of [ada.id, bob.id, ada.loginId, bob.loginId]) expect(t).not.toContain(id);

    const base = `${gateway()}/api/v1/program-calendar/feeds`;
    for (const wrong of [`amcal_${randomBytes(32).toString('base64url')}`, 'amcal_short', 'not-a-token', `${a.slice(0, -1)}${a.endsWith('A') ? 'B' : 'A'}`]) {
      const res = await fetch(`${base}/${wrong}.ics`);
      expect(res.status).toBe(404);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('NOT_FOUND');
    }

    const helpDesk = await signIn(await createUser({ platformRole: 'HELP_DESK' }));
    expect((await helpDesk.post(`/api/v1/users/${bob.loginId}/disable`, { reason: 'Left the practice (calendar test)' })).status).toBe(200);
    expect((await fetch(bobUrl)).status).toBe(404);
    expect((await fetch(adaUrl)).status).toBe(200);
  });

  it('a rotation retried with the same Idempotency-Key rotates once, and its replay withholds the URL, which the idempotency store never keeps', async () => {
    const api = await signIn(await createUser());
    const before = await feedUrl(api);
    const key = `rotate-${randomBytes(6).toString('hex')}`;
    const rotate = () => fetch(`${gateway()}/api/v1/me/calendar-feed/rotate`, { method: 'POST', headers: { authorization: `Bearer ${api.token}`, 'idempotency-key': key } });
    const first = await rotate();
    expect(first.status).toBe(200);
    expect(first.headers.get('cache-control')).toBe('no-store');
    const rotated = (await first.json()) as CalendarFeedView;
    const replay = await rotate();
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    const replayed = (await replay.json()) as { url?: string; urlWithheld?: string; issuedAt: string };
    expect(replayed.url).toBeUndefined();
    expect(replayed.urlWithheld).toMatch(/GET \/me\/calendar-feed/);
    expect(replayed.issuedAt).toBe(rotated.issuedAt);
    // Rotated once: the first answer's URL is the live one.
    expect(await feedUrl(api)).toEqual(rotated);
    expect((await fetch(before.url)).status).toBe(404);
    const stored = await query<{ response: unknown }>(db(), 'SELECT response FROM idempotency_keys WHERE key = $1', [key]);
    expect(stored).toHaveLength(1);
    expect(JSON.stringify(stored[0].response)).not.toContain(tokenOf(rotated.url));
  });

  it('the feed URL is for signed-in people: anonymous 401', async () => {
    expect((await anonymous.get('/api/v1/me/calendar-feed')).status).toBe(401);
    expect((await anonymous.post('/api/v1/me/calendar-feed/rotate')).status).toBe(401);
  });
});
