// Issue 19, part 4: the daily email digest, on real parts. A stack of its own (task queues,
// schedule, its own SMTP server, so the mail server can go down) on a database of its own, so its
// schedule only ever sees this test's users. The schedule is triggered, as an operator does from
// Temporal's UI, and each run is awaited to its end: no sleeps.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { ScheduleHandle } from '@temporalio/client';
import { createScratchDatabase, freePort, query, startMailCatcher, waitFor, type MailCatcher, type RunningServices, type ScratchDatabase } from '@am/devstack';
import { emailDigestKey, emailDigestScheduleId, EMAIL_DIGEST_WORKFLOW, type EmailDigestRunState } from '@am/workflow-contracts';
import { testStack } from '../setup/stack';
import { signIn, type Api } from '../support/api';
import { startExtraStack } from '../support/extra-stack';
import { EventStream } from '../support/sse';
import { createOrganization, createUser, grantRole, type TestOrganization, type TestUser } from '../support/factories';
import { recordHistoryIfAsked, temporalClient } from '../support/temporal';

const keyOf = (m: { headers: Record<string, string> }) => m.headers['x-idempotency-key'];

/** The local date and hour now in a zone, as the directory computes them (Intl). */
function localNow(timeZone: string): { date: string; hour: number } {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', hourCycle: 'h23' }).formatToParts(new Date());
  const part = (type: string) => parts.find((p) => p.type === type)!.value;
  return { date: `${part('year')}-${part('month')}-${part('day')}`, hour: Number(part('hour')) };
}

describe('the daily email digest (issue 19)', () => {
  const name = 'email-digest';
  let scratch: ScratchDatabase;
  let mail: MailCatcher;
  let ports: { smtpPort: number; webPort: number };
  let stack: RunningServices;
  let temporal: Awaited<ReturnType<typeof temporalClient>>;
  let schedule: ScheduleHandle;
  const streams: EventStream[] = [];
  const logDir = () => join(testStack().logDir, name);
  const t = randomBytes(3).toString('hex');
  // A half-hour zone where it is nowhere near midnight now (the test must not see the local date
  // turn between two runs); the digest hour is the hour it is there now, so the digest is due at once.
  const timeZone = ['Asia/Kolkata', 'America/St_Johns'].find((zone) => localNow(zone).hour >= 2 && localNow(zone).hour <= 21)!;

  beforeAll(async () => {
    scratch = await createScratchDatabase(testStack().databaseUrl);
    ports = { smtpPort: await freePort(), webPort: await freePort() };
    mail = await startMailCatcher({ ...ports, logFile: join(logDir(), 'maildev-1.log') });
    // The schedule runs only when triggered here (its interval is far longer than the test); each
    // request reminds its approvers once, 5 s after it was submitted, and not again within the test.
    stack = await startExtraStack(name, { DATABASE_URL: scratch.url, SMTP_URL: mail.smtpUrl, DIGEST_RUN_EVERY: '12h', REMINDER_FIRST_AFTER: '5s', REMINDER_INTERVAL: '1h' });
    temporal = await temporalClient();
    schedule = temporal.client.schedule.getHandle(emailDigestScheduleId(`${name}-${process.pid}`));
  }, 180_000);

  afterAll(async () => {
    for (const s of streams) s.close();
    await schedule?.delete().catch(() => undefined);
    await temporal?.close();
    await stack?.stop();
    await mail?.stop();
    await scratch?.drop();
  });

  const db = () => scratch.url;
  const person = (n: string) => createUser({ displayName: `${n} ${t}`, databaseUrl: db() });
  const org = (n: string) => createOrganization({ name: `${n} ${t}`, databaseUrl: db() });
  const ledger = (key: string) =>
    query<{ state: string; attempts: number; last_error: string | null }>(db(), 'SELECT state, attempts, last_error FROM notifications.email_ledger WHERE idempotency_key = $1', [key]);

  async function submitAll(requesters: TestUser[], at: TestOrganization): Promise<string[]> {
    return Promise.all(
      requesters.map(async (u) => {
        const res = await (await signIn(u, stack.gatewayUrl)).post('/api/v1/role-requests', { organizationId: at.id, role: 'STAFF_USER', justification: `I work at ${at.name}` });
        expect(res.status).toBe(201);
        return res.body.id as string;
      }),
    );
  }

  async function chooseDaily(api: Api) {
    const digestHour = localNow(timeZone).hour;
    const res = await api.request('PUT', '/api/v1/me/preferences', { emailDigest: 'daily', digestHour, timeZone });
    expect(res).toEqual({ status: 200, body: { emailDigest: 'daily', digestHour, timeZone } });
    expect((await api.get('/api/v1/me/preferences')).body).toEqual({ emailDigest: 'daily', digestHour, timeZone });
  }

  /** Triggers the schedule and answers the run it started (started, not skipped: the previous run has ended). */
  async function trigger(): Promise<{ workflowId: string; result: () => Promise<EmailDigestRunState> }> {
    const before = (await schedule.describe()).info.recentActions.length;
    await schedule.trigger();
    const started = await waitFor('the run the trigger started', async () => {
      const actions = (await schedule.describe()).info.recentActions;
      return actions.length > before ? actions[actions.length - 1] : undefined;
    });
    const { workflowId } = started.action.workflow;
    return { workflowId, result: () => temporal.client.workflow.getHandle(workflowId).result() };
  }

  it('holds back the approvers’ per-request emails, keeps their notices live, and sends one digest by organization once', async () => {
    const described = await waitFor('the digest schedule', async () => schedule.describe().catch(() => undefined), 30_000);
    expect(described.action).toMatchObject({ type: 'startWorkflow', workflowType: EMAIL_DIGEST_WORKFLOW });

    const [sam, ivy] = await Promise.all([person('Sam Daily'), person('Ivy Immediate')]);
    const hana = await createUser({ displayName: `Hana Helpdesk ${t}`, platformRole: 'HELP_DESK', databaseUrl: db() });
    const [alpha, beta, orphan] = await Promise.all([org('Alpha Clinic'), org('Beta Clinic'), org('Orphan Clinic')]);
    await Promise.all([grantRole(sam, alpha, 'SECURITY_OFFICIAL', db()), grantRole(sam, beta, 'SECURITY_OFFICIAL', db()), grantRole(ivy, alpha, 'SECURITY_OFFICIAL', db())]);
    const asSam = await signIn(sam, stack.gatewayUrl);
    await chooseDaily(asSam);
    // The help desk decides where there is no Security Official: on the daily digest too.
    await chooseDaily(await signIn(hana, stack.gatewayUrl));
    const stream = await EventStream.open('/api/v1/notifications/stream', asSam.token, stack.gatewayUrl);
    streams.push(stream);
    await stream.next((e) => e.event === 'ready', 'the stream to open');

    const requesters = await Promise.all(['Ann', 'Ben', 'Cat', 'Dan', 'Eve', 'Fay'].map((n) => person(`${n} Requester`)));
    const atAlpha = await submitAll(requesters.slice(0, 4), alpha);
    const atBeta = await submitAll(requesters.slice(4), beta);
    const [atOrphan] = await submitAll([await person('Oli Requester')], orphan);
    const all = [...atAlpha, ...atBeta];

    // Sam's in-app notices, live, one per request; Ivy (immediate) is emailed for Alpha's; each requester is emailed.
    for (const r of requesters) await stream.next((e) => e.event === 'notice' && e.data.kind === 'request-submitted-approver' && e.data.title.startsWith(r.displayName), `Sam's notice of ${r.displayName}`);
    for (const id of atAlpha) await mail.waitForMessage((m) => keyOf(m) === `role-request-${id}/submitted/approver/${ivy.id}`);
    for (const id of all) await mail.waitForMessage((m) => keyOf(m) === `role-request-${id}/submitted/requester`);
    // The reminders too: Ivy's by email, Sam's in-app only.
    for (const id of atAlpha) await mail.waitForMessage((m) => keyOf(m) === `role-request-${id}/reminder-1/${ivy.id}`);
    for (const r of requesters) await stream.next((e) => e.event === 'notice' && e.data.kind === 'request-reminder' && e.data.title.includes(r.displayName), `Sam's reminder of ${r.displayName}`);
    // Sam's and the help desk's emails were never recorded, so none can go out.
    for (const id of all) for (const k of [`submitted/approver/${sam.id}`, `reminder-1/${sam.id}`]) expect(await ledger(`role-request-${id}/${k}`)).toEqual([]);
    await mail.waitForMessage((m) => keyOf(m) === `role-request-${atOrphan}/submitted/requester`);
    expect(await ledger(`role-request-${atOrphan}/submitted/approver/${hana.id}`)).toEqual([]);
    expect((await mail.messages()).filter((m) => m.to.some((a) => a.address === sam.email || a.address === hana.email))).toEqual([]);

    // Decisions stay immediate: Sam approves one of Beta's and is emailed the confirmation at once.
    expect((await asSam.post(`/api/v1/role-requests/${atBeta[1]}/approve`)).status).toBe(200);
    await mail.waitForMessage((m) => keyOf(m) === `role-request-${atBeta[1]}/decided/approver/${sam.id}`);

    // The schedule runs: one digest to Sam, listing the five still pending, Alpha's then Beta's; one to the help desk.
    const localDate = localNow(timeZone).date;
    const run = await trigger();
    expect(await run.result()).toMatchObject({ sent: 2, empty: 0 });
    const helpDeskDigest = await mail.waitForMessage((m) => keyOf(m) === emailDigestKey(hana.id, localDate));
    expect(helpDeskDigest.subject).toBe('Your daily digest: 1 request waits for your decision');
    expect(helpDeskDigest.text).toContain(`${orphan.name} (TIN: ${orphan.identifier}), 1 pending:`);
    expect(helpDeskDigest.text).not.toContain(alpha.name);
    const digest = await mail.waitForMessage((m) => keyOf(m) === emailDigestKey(sam.id, localDate));
    expect(digest.to).toEqual([expect.objectContaining({ address: sam.email })]);
    expect(digest.subject).toBe('Your daily digest: 5 requests wait for your decision');
    const alphaAt = digest.text.indexOf(`${alpha.name} (TIN: ${alpha.identifier}), 4 pending:`);
    const betaAt = digest.text.indexOf(`${beta.name} (TIN: ${beta.identifier}), 1 pending:`);
    expect(alphaAt).toBeGreaterThan(-1);
    expect(betaAt).toBeGreaterThan(alphaAt);
    const [ann, ben, cat, dan, eve, fay] = requesters;
    for (const r of [ann, ben, cat, dan]) expect(digest.text.slice(alphaAt, betaAt)).toContain(`${r.displayName} requests the Staff User role`);
    expect(digest.text.slice(betaAt)).toContain(`${eve.displayName} requests the Staff User role`);
    expect(digest.text).not.toContain(fay.displayName); // decided already
    for (const id of [...atAlpha, atBeta[0]]) {
      expect(digest.text).toContain(`/manage-access?request=${id}&decision=approve`);
      expect(digest.text).toContain(`/manage-access?request=${id}&decision=deny`);
      expect(digest.html).toContain(`/manage-access?request&#x3D;${id}&amp;decision&#x3D;approve`); // = and & escaped, as Handlebars writes attributes
    }
    expect(digest.text).toContain('Have questions? Contact the Quality Payment Program');
    await recordHistoryIfAsked(temporal.client, run.workflowId, 'email-digest-run');

    // Triggered again the same local day: nothing more.
    expect(await (await trigger()).result()).toEqual(expect.objectContaining({ sent: 0, empty: 0 }));
    expect((await mail.messages()).filter((m) => keyOf(m) === emailDigestKey(sam.id, localDate))).toHaveLength(1);
    expect(await ledger(emailDigestKey(sam.id, localDate))).toEqual([expect.objectContaining({ state: 'SENT', attempts: 1 })]);
  }, 240_000);

  it('arrives once after a mail server outage', async () => {
    const otto = await person('Otto Outage');
    const gamma = await org('Gamma Clinic');
    await grantRole(otto, gamma, 'SECURITY_OFFICIAL', db());
    await chooseDaily(await signIn(otto, stack.gatewayUrl));
    await submitAll(await Promise.all([person('Gil Requester'), person('Hal Requester')]), gamma);
    const key = emailDigestKey(otto.id, localNow(timeZone).date);

    await mail.stop(); // the SMTP server goes down
    const run = await trigger();
    await waitFor('the digest to have failed while the mail server is down', async () => {
      const [row] = await ledger(key);
      return row?.state === 'PENDING' && row.attempts >= 1 && row.last_error !== null;
    }, 60_000, 250);

    mail = await startMailCatcher({ ...ports, logFile: join(logDir(), 'maildev-2.log') }); // back, same port
    const state = await run.result();
    expect(state.sent).toBe(1);
    const digest = await mail.waitForMessage((m) => keyOf(m) === key);
    expect(digest.subject).toBe('Your daily digest: 2 requests wait for your decision');
    expect(digest.text).toContain(`${gamma.name} (TIN: ${gamma.identifier}), 2 pending:`);

    // A run after it sends nothing more; the one email went out once, whatever the retries.
    expect(await (await trigger()).result()).toMatchObject({ sent: 0 });
    expect((await mail.messages()).filter((m) => keyOf(m) === key)).toHaveLength(1);
    expect(await ledger(key)).toEqual([expect.objectContaining({ state: 'SENT' })]);
  }, 240_000);
});
