// Issue 20, item 3 on real parts: a subscription whose deliveries have all failed for
// WEBHOOK_DISABLE_AFTER is paused, and its owner (the help desk user who registered it) is told by
// email, through the real SMTP server, and by an in-app notice. A stack of its own, with
// WEBHOOK_DISABLE_AFTER=5s and retries every second, on a database of its own: a setting this short
// on the run's database would pause other tests' subscriptions while their receivers are down. A
// paused subscription keeps its events (held) and sends them, under their ids, when it resumes.
import { randomBytes } from 'node:crypto';
import { createScratchDatabase, waitFor, type RunningServices, type ScratchDatabase } from '@am/devstack';
import { testStack } from '../setup/stack';
import { mailbox, signIn, type Api } from '../support/api';
import { startExtraStack } from '../support/extra-stack';
import { createOrganization, createUser, type TestOrganization } from '../support/factories';
import { WebhookReceiver } from '../support/webhook-receiver';
import { isEventOf, subscribe, waitForDeliveries, waitForWebhook, webhookIdOf, webhookView } from '../support/webhook-api';

const DISABLE_AFTER_MS = 5_000;

describe('pausing a subscription that keeps failing (issue 20, WEBHOOK_DISABLE_AFTER)', () => {
  const t = randomBytes(3).toString('hex');
  let scratch: ScratchDatabase;
  let stack: RunningServices;
  let failing: WebhookReceiver;
  let healthy: WebhookReceiver;

  beforeAll(async () => {
    scratch = await createScratchDatabase(testStack().databaseUrl);
    [stack, failing, healthy] = await Promise.all([
      startExtraStack('webhooks-pause', {
        DATABASE_URL: scratch.url,
        WEBHOOK_DISABLE_AFTER: '5s',
        WEBHOOK_RETRY_INITIAL: '1s',
        WEBHOOK_RETRY_MAX_INTERVAL: '1s',
      }),
      WebhookReceiver.start(),
      WebhookReceiver.start(),
    ]);
  }, 180_000);

  afterAll(async () => {
    await Promise.all([failing?.stop(), healthy?.stop()]);
    await stack?.stop();
    await scratch?.drop();
  });

  const db = () => scratch.url;

  async function submit(api: Api, org: TestOrganization): Promise<string> {
    const res = await api.post('/api/v1/role-requests', { organizationId: org.id, role: 'STAFF_USER', justification: 'I report for us.' });
    expect(res.status).toBe(201);
    return res.body.id as string;
  }

  it('pauses it with a reason once every delivery has failed for WEBHOOK_DISABLE_AFTER, emails its owner and leaves a notice, holds its events, and sends them under their ids when it resumes', async () => {
    const owner = await createUser({ platformRole: 'HELP_DESK', displayName: `Olga Owner ${t}`, databaseUrl: db() });
    const [requester, another] = await Promise.all([createUser({ databaseUrl: db() }), createUser({ databaseUrl: db() })]);
    const org = await createOrganization({ name: `Failing Clinic ${t}`, databaseUrl: db() });
    const [asOwner, asRequester, asAnother] = await Promise.all([signIn(owner, stack.gatewayUrl), signIn(requester, stack.gatewayUrl), signIn(another, stack.gatewayUrl)]);

    failing.respond(() => ({ status: 500 }));
    const sub = await subscribe(asOwner, failing, { events: ['role-request.submitted'], organizationId: org.id });
    const control = await subscribe(asOwner, healthy, { events: ['role-request.submitted'], organizationId: org.id });
    const first = await submit(asRequester, org);
    await failing.waitFor(isEventOf('role-request.submitted', first), 30_000, 'the first failed attempt');

    const paused = await waitForWebhook(asOwner, sub.id, (w) => w.status === 'PAUSED', 'the failing subscription PAUSED', 60_000);
    const attemptsWhenPaused = failing.requests.length;
    expect(paused).toMatchObject({ status: 'PAUSED', statusReason: expect.stringMatching(/\S/), failingSince: expect.any(String), statusChangedAt: expect.any(String) });
    // Not before every delivery had failed for WEBHOOK_DISABLE_AFTER.
    expect(Date.parse(paused.statusChangedAt!) - Date.parse(paused.failingSince!)).toBeGreaterThanOrEqual(DISABLE_AFTER_MS);
    const failedAttempts = failing.received((r) => isEventOf('role-request.submitted', first)(r));
    expect(failedAttempts.length).toBeGreaterThanOrEqual(2);
    expect(failedAttempts.every((r) => r.answered === 500 && r.verified)).toBe(true);
    // The healthy subscription on the same organization is untouched.
    expect((await webhookView(asOwner, control.id)).status).toBe('ACTIVE');

    // The owner is told: by email over SMTP (the subject names the URL) ...
    const email = await mailbox().waitForMessage((m) => m.to.some((a) => a.address === owner.email) && m.subject.includes(failing.url()), 60_000);
    expect(email.text).toContain(failing.url());
    expect(email.headers['x-idempotency-key']).toMatch(new RegExp(`^webhook-paused/${sub.id}/`));
    // One such email: the subscription is paused once. (The owner gets other mail too: as the help
    // desk, they are the approver of the request at this organization, which has no Security Official.)
    const pausedMails = (await mailbox().messages()).filter((m) => m.to.some((a) => a.address === owner.email) && m.headers['x-idempotency-key']?.startsWith('webhook-paused/'));
    expect(pausedMails).toHaveLength(1);
    // ... and by an in-app notice.
    const notice = await waitFor(
      'the owner’s webhook-paused notice',
      async () => {
        const res = await asOwner.get('/api/v1/notifications');
        expect(res.status).toBe(200);
        return (res.body as { kind: string; title: string }[]).find((n) => n.kind === 'webhook-paused');
      },
      30_000,
      200,
    );
    expect(notice.title).toEqual(expect.any(String));

    // Paused, it keeps its events without sending them: a later event reaches the healthy subscription
    // (so it was fanned out) and is held for the paused one, as the first one is.
    const second = await submit(asAnother, org);
    const secondEvent = await healthy.waitFor((r) => isEventOf('role-request.submitted', second)(r) && r.answered === 200, 30_000, 'the second event at the healthy endpoint');
    const held = await waitForDeliveries(asOwner, sub.id, (ds) => ds.length === 2 && ds.every((d) => d.status === 'PENDING' && d.nextAttemptAt === null) && ds, 'both deliveries held');
    const heldFirst = held.find((d) => d.eventId !== secondEvent.payload.id)!;
    const heldSecond = held.find((d) => d.eventId === secondEvent.payload.id)!;
    expect(heldSecond).toMatchObject({ attempts: 0, lastResponseCode: null });
    expect(heldFirst).toMatchObject({ attempts: failedAttempts.length, lastResponseCode: 500, lastError: expect.stringMatching(/held/i) });
    expect(failing.received((r) => isEventOf('role-request.submitted', second)(r))).toEqual([]);
    expect((await webhookView(asOwner, sub.id)).status).toBe('PAUSED');
    // No attempt more since the pause was seen (but one already under way then).
    expect(failing.requests.length).toBeLessThanOrEqual(attemptsWhenPaused + 1);

    // The endpoint is fixed and the owner resumes it: both held events go out, each under its delivery's webhook-id.
    failing.respond(() => ({ status: 200 }));
    const resumed = await asOwner.request('PATCH', `/api/v1/webhooks/${sub.id}`, { paused: false });
    expect(resumed.status).toBe(200);
    expect(resumed.body).toMatchObject({ status: 'ACTIVE', statusReason: null, failingSince: null });
    const [firstOut, secondOut] = await Promise.all([
      failing.waitFor((r) => isEventOf('role-request.submitted', first)(r) && r.answered === 200, 30_000, 'the first event after the resume'),
      failing.waitFor((r) => isEventOf('role-request.submitted', second)(r) && r.answered === 200, 30_000, 'the second event after the resume'),
    ]);
    expect(firstOut.id).toBe(webhookIdOf(heldFirst.id));
    expect(firstOut.id).toBe(failedAttempts[0].id);
    expect(secondOut.id).toBe(webhookIdOf(heldSecond.id));
    expect(secondOut.verified).toBe(true);
    await waitForDeliveries(asOwner, sub.id, (ds) => ds.length === 2 && ds.every((d) => d.status === 'DELIVERED') && ds, 'both deliveries DELIVERED after the resume');
  });
});
