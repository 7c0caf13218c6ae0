// Issue 20 (items 3, 5 and 6) on real parts: every delivery to a real HTTP receiver is verified
// with the standardwebhooks library as a consumer verifies it; payloads carry the request as the
// API shows it; an organization-scoped subscription hears only its organization; retries keep the
// delivery's id; a receiver that was down gets every event once it is back, exactly once each; a
// 410 disables the subscription; a slow endpoint delays neither the decision nor another
// subscriber; pings, redeliveries and secret rotation. Every subscription here is scoped to an
// organization of the test's own (but one, for a moment), so no other test's events reach these
// receivers. Retries are fast on this stack (WEBHOOK_RETRY_INITIAL 1s, WEBHOOK_RETRY_MAX_INTERVAL 2s).
import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import type { RoleRequestView, WebhookEventType } from '@am/contracts';
import { signIn, type Api } from '../support/api';
import { createOrganization, createUser, grantRole, type TestOrganization, type TestUser } from '../support/factories';
import { WebhookReceiver } from '../support/webhook-receiver';
import { deliveriesOf, isEventOf, subscribe, waitForDeliveries, waitForWebhook, webhookIdOf, webhookView } from '../support/webhook-api';

const tag = randomBytes(3).toString('hex');
const ROLE_REQUEST_EVENTS: WebhookEventType[] = ['role-request.submitted', 'role-request.decided', 'role-request.withdrawn'];
/** A denial is announced once final (DENY_UNDO_WINDOW, 20 s on this stack) or at once: either way, within this. */
const DENIAL_WAIT_MS = 60_000;
const EVENT_WAIT_MS = 30_000;

interface Place {
  org: TestOrganization;
  official: TestUser;
  asOfficial: Api;
}

interface Submitted {
  id: string;
  requester: TestUser;
  asRequester: Api;
  view: RoleRequestView;
}

/** What a request's view shows that no later step changes. */
const unchanging = (v: RoleRequestView) => ({
  id: v.id,
  workflowId: v.workflowId,
  role: v.role,
  justification: v.justification,
  organization: v.organization,
  requester: v.requester,
  createdAt: v.createdAt,
});

describe('outbound webhooks (issue 20)', () => {
  let deskUser: TestUser;
  let desk: Api;
  const receivers: WebhookReceiver[] = [];
  const subscriptions: string[] = [];

  beforeAll(async () => {
    deskUser = await createUser({ platformRole: 'HELP_DESK', displayName: `Wendy Webhooks ${tag}` });
    desk = await signIn(deskUser);
  });

  afterAll(async () => {
    // Deleted first, so that nothing is still being delivered to a receiver that has stopped.
    await Promise.allSettled(subscriptions.map((id) => desk.request('DELETE', `/api/v1/webhooks/${id}`)));
    await Promise.all(receivers.map((r) => r.stop()));
  });

  async function receiver(): Promise<WebhookReceiver> {
    const r = await WebhookReceiver.start();
    receivers.push(r);
    return r;
  }

  async function subscribed(r: WebhookReceiver, events: WebhookEventType[], organizationId?: string) {
    const sub = await subscribe(desk, r, { events, organizationId, description: `webhooks e2e ${tag}` });
    subscriptions.push(sub.id);
    return sub;
  }

  async function place(name: string): Promise<Place> {
    const org = await createOrganization({ name: `${name} Clinic ${tag}` });
    const official = await createUser({ displayName: `${name} Official ${tag}` });
    await grantRole(official, org, 'SECURITY_OFFICIAL');
    return { org, official, asOfficial: await signIn(official) };
  }

  async function submit(org: TestOrganization, name = 'Requester'): Promise<Submitted> {
    const requester = await createUser({ displayName: `${name} ${tag}` });
    const asRequester = await signIn(requester);
    const res = await asRequester.post<RoleRequestView>('/api/v1/role-requests', { organizationId: org.id, role: 'STAFF_USER', justification: `I report for ${org.name}` });
    expect(res.status).toBe(201);
    return { id: res.body.id, requester, asRequester, view: res.body };
  }

  const delivered = (r: WebhookReceiver, type: WebhookEventType, requestId: string, timeoutMs = EVENT_WAIT_MS) =>
    r.waitFor((x) => isEventOf(type, requestId)(x) && x.answered === 200, timeoutMs, `${type} of request ${requestId}, answered 200`);

  it('signs every delivery as Standard Webhooks says, and tells of submissions, decisions and withdrawals with the request as the API shows it', async () => {
    const { org, official, asOfficial } = await place('Payload');
    const hooks = await receiver();
    const sub = await subscribed(hooks, ROLE_REQUEST_EVENTS, org.id);
    expect(sub).toMatchObject({
      url: hooks.url(),
      events: ROLE_REQUEST_EVENTS,
      organizationId: org.id,
      status: 'ACTIVE',
      statusReason: null,
      failingSince: null,
      createdBy: { id: deskUser.id, displayName: deskUser.displayName },
      createdByApiKey: null,
    });
    expect(sub.secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    // The secret is shown once: never read back.
    const read = await webhookView(desk, sub.id);
    expect(read).not.toHaveProperty('secret');
    expect(JSON.stringify(read)).not.toContain(sub.secret.slice('whsec_'.length));

    const toApprove = await submit(org, 'Ann Approved');
    const toDeny = await submit(org, 'Dan Denied');
    const toWithdraw = await submit(org, 'Wes Withdrawn');
    // A payload shows the request as it stands when the event is dispatched (a moment after it
    // happened; `type` says what happened): the submissions are awaited before the decisions.
    const submittedEvents = await Promise.all([toApprove, toDeny, toWithdraw].map((s) => delivered(hooks, 'role-request.submitted', s.id)));
    const approve = await asOfficial.post(`/api/v1/role-requests/${toApprove.id}/approve`);
    expect(approve.status).toBe(200);
    const deny = await asOfficial.post(`/api/v1/role-requests/${toDeny.id}/deny`, { reasonCode: 'NOT_AFFILIATED' });
    expect(deny.status).toBe(200);
    const withdraw = await toWithdraw.asRequester.post(`/api/v1/role-requests/${toWithdraw.id}/withdraw`);
    expect(withdraw.status).toBe(200);

    const approvedEvent = await delivered(hooks, 'role-request.decided', toApprove.id);
    const withdrawnEvent = await delivered(hooks, 'role-request.withdrawn', toWithdraw.id);
    const deniedEvent = await delivered(hooks, 'role-request.decided', toDeny.id, DENIAL_WAIT_MS);
    const all = [...submittedEvents, approvedEvent, deniedEvent, withdrawnEvent];

    const now = Math.floor(Date.now() / 1000);
    for (const r of all) {
      // Verified with the library, with this subscription's secret, as a consumer verifies it.
      expect({ type: r.payload.type, verified: r.verified, verifiedWith: r.verifiedWith }).toEqual({ type: r.payload.type, verified: true, verifiedWith: [0] });
      expect(r.id).toMatch(/^msg_[0-9a-f]{32}$/);
      expect(r.signature).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
      expect(Number(r.timestamp)).toBeGreaterThan(now - 300);
      expect(Number(r.timestamp)).toBeLessThanOrEqual(now + 5);
      expect(String(r.headers['content-type'])).toMatch(/^application\/json/);
      expect(r.payload).toEqual({ id: expect.stringMatching(/^evt_\d+$/), type: r.payload.type, version: 1, timestamp: expect.any(String), organizationId: org.id, data: expect.any(Object) });
      expect(Number.isNaN(Date.parse(r.payload.timestamp))).toBe(false);
      // Never a secret, nor what the public API does not show of a person.
      expect(r.body).not.toContain(sub.secret.slice('whsec_'.length));
      for (const s of [toApprove, toDeny, toWithdraw]) expect(r.body).not.toContain(s.requester.email);
    }
    // The verification means something: another secret, or a body changed by one character, fails.
    const sample = approvedEvent;
    expect(() => new Webhook(`whsec_${randomBytes(24).toString('base64')}`).verify(sample.body, sample.headers as Record<string, string>)).toThrow();
    expect(() => new Webhook(sub.secret).verify(sample.body.replace('"APPROVED"', '"DENIED"'), sample.headers as Record<string, string>)).toThrow();
    // One event, one id; six events here.
    expect(new Set(all.map((r) => r.payload.id)).size).toBe(6);
    expect(new Set(all.map((r) => r.id)).size).toBe(6);

    // data: the request as GET /role-requests/{id} shows it, and who acted.
    const viewNow = async (id: string) => {
      const res = await desk.get<RoleRequestView>(`/api/v1/role-requests/${id}`);
      expect(res.status).toBe(200);
      return res.body;
    };
    const officialRef = { id: official.id, displayName: official.displayName };
    for (const [i, s] of [toApprove, toDeny, toWithdraw].entries()) {
      const data = submittedEvents[i].payload.data;
      expect(Object.keys(data).sort()).toEqual(['actor', 'request']);
      expect(Object.keys(data.request).sort()).toEqual(Object.keys(await viewNow(s.id)).sort());
      expect(data.request).toMatchObject({ ...unchanging(s.view), status: 'PENDING', decidedBy: null, decidedAt: null, approvers: s.view.approvers });
      expect(data.actor).toEqual({ id: s.requester.id, displayName: s.requester.displayName });
    }
    const approvedNow = await viewNow(toApprove.id);
    expect(Object.keys(approvedEvent.payload.data).sort()).toEqual(['actor', 'decision', 'request']);
    expect(approvedEvent.payload.data).toMatchObject({
      decision: 'APPROVED',
      actor: officialRef,
      request: { ...unchanging(approvedNow), status: 'APPROVED', decidedBy: officialRef, decidedAt: approve.body.decidedAt },
    });
    const deniedNow = await viewNow(toDeny.id);
    expect(deniedEvent.payload.data).toMatchObject({
      decision: 'DENIED',
      actor: officialRef,
      request: { ...unchanging(deniedNow), status: 'DENIED', decidedBy: officialRef, decidedAt: deny.body.decidedAt, reasonCode: 'NOT_AFFILIATED' },
    });
    const withdrawnNow = await viewNow(toWithdraw.id);
    expect(Object.keys(withdrawnEvent.payload.data).sort()).toEqual(['actor', 'request']);
    expect(withdrawnEvent.payload.data).toMatchObject({
      actor: { id: toWithdraw.requester.id, displayName: toWithdraw.requester.displayName },
      request: { ...unchanging(withdrawnNow), status: 'WITHDRAWN', decidedAt: withdraw.body.decidedAt },
    });

    // GET deliveries: one per event, delivered at the first attempt; the webhook-id is the delivery's id.
    const deliveries = await waitForDeliveries(desk, sub.id, (ds) => ds.length >= 6 && ds.every((d) => d.status === 'DELIVERED') && ds, 'six deliveries, all DELIVERED');
    expect(deliveries).toHaveLength(6);
    for (const r of all) {
      const d = deliveries.find((x) => x.eventId === r.payload.id);
      expect(d).toMatchObject({ webhookId: sub.id, eventType: r.payload.type, status: 'DELIVERED', attempts: 1, lastResponseCode: 200, lastError: null, nextAttemptAt: null, deliveredAt: expect.any(String) });
      expect(webhookIdOf(d!.id)).toBe(r.id);
    }
    expect((await deliveriesOf(desk, sub.id, 'DELIVERED')).map((d) => d.id).sort()).toEqual(deliveries.map((d) => d.id).sort());
    expect(await deliveriesOf(desk, sub.id, 'FAILED')).toEqual([]);
    // Each delivery reached the receiver once.
    expect(hooks.requests).toHaveLength(6);
  });

  it('gives an organization-scoped subscription only its organization’s events, and an unscoped one every organization’s', async () => {
    const [alpha, beta] = await Promise.all([place('Alpha'), place('Beta')]);
    const [toAlpha, toBeta, toAll] = await Promise.all([receiver(), receiver(), receiver()]);
    const subAlpha = await subscribed(toAlpha, ['role-request.submitted'], alpha.org.id);
    const subBeta = await subscribed(toBeta, ['role-request.submitted'], beta.org.id);
    // Every organization's submissions, for as long as this test runs (other tests' may reach it too).
    const subAll = await subscribed(toAll, ['role-request.submitted'], undefined);
    expect(subAll.organizationId).toBeNull();

    // Beta's event first, delivered to Beta's receiver, before Alpha's happens: had it been fanned out
    // to Alpha's subscription, it would be there (or on its way) before Alpha's own.
    const atBeta = await submit(beta.org);
    const betaEvent = await delivered(toBeta, 'role-request.submitted', atBeta.id);
    const atAlpha = await submit(alpha.org);
    const alphaEvent = await delivered(toAlpha, 'role-request.submitted', atAlpha.id);
    await Promise.all([delivered(toAll, 'role-request.submitted', atAlpha.id), delivered(toAll, 'role-request.submitted', atBeta.id)]);

    expect(new Set(toAlpha.requests.map((r) => r.payload?.organizationId))).toEqual(new Set([alpha.org.id]));
    expect(new Set(toBeta.requests.map((r) => r.payload?.organizationId))).toEqual(new Set([beta.org.id]));
    const alphaDeliveries = await waitForDeliveries(desk, subAlpha.id, (ds) => ds.some((d) => d.status === 'DELIVERED') && ds, 'Alpha’s delivery');
    expect(alphaDeliveries.map((d) => d.eventId)).toEqual([alphaEvent.payload.id]);
    const betaDeliveries = await waitForDeliveries(desk, subBeta.id, (ds) => ds.some((d) => d.status === 'DELIVERED') && ds, 'Beta’s delivery');
    expect(betaDeliveries.map((d) => d.eventId)).toEqual([betaEvent.payload.id]);
    // The same event, one id, in both subscriptions that heard it.
    const allDeliveries = await deliveriesOf(desk, subAll.id);
    expect(allDeliveries.map((d) => d.eventId)).toEqual(expect.arrayContaining([alphaEvent.payload.id, betaEvent.payload.id]));

    // Deleted: gone from reads, and nothing more reaches it.
    const deleted = await desk.request('DELETE', `/api/v1/webhooks/${subAll.id}`);
    expect(deleted.status).toBe(200);
    expect(deleted.body).toMatchObject({ id: subAll.id, url: toAll.url() });
    expect((await desk.get(`/api/v1/webhooks/${subAll.id}`)).status).toBe(404);
  });

  it('retries a failing endpoint with backoff and the same webhook-id until it answers 2xx, and shows it in GET deliveries', async () => {
    const { org } = await place('Retry');
    const flaky = await receiver();
    flaky.failFirst(3, 503);
    const sub = await subscribed(flaky, ['role-request.submitted'], org.id);
    const s = await submit(org);

    // While it fails, GET deliveries shows it pending, with the last code and the next attempt.
    const waiting = await waitForDeliveries(desk, sub.id, (ds) => ds.find((d) => d.status === 'PENDING' && d.lastResponseCode === 503 && d.nextAttemptAt !== null), 'the delivery pending after a 503, with its next attempt');
    expect(waiting).toMatchObject({ attempts: expect.any(Number), lastAttemptAt: expect.any(String), lastError: expect.any(String), deliveredAt: null });
    expect(Date.parse(waiting.nextAttemptAt!)).toBeGreaterThanOrEqual(Date.parse(waiting.lastAttemptAt!));

    const ok = await delivered(flaky, 'role-request.submitted', s.id);
    const attempts = flaky.received((r) => r.id === ok.id);
    expect(attempts.map((a) => a.answered)).toEqual([503, 503, 503, 200]);
    expect(flaky.requests).toHaveLength(4);
    // One delivery: one event, verified every time (each attempt signed with its own timestamp).
    for (const a of attempts) expect(a.verified).toBe(true);
    expect(new Set(attempts.map((a) => a.payload.id)).size).toBe(1);
    expect(new Set(attempts.map((a) => a.body)).size).toBe(1);
    // Backoff: no attempt follows the last one sooner than WEBHOOK_RETRY_INITIAL (1 s), less a little for the clock.
    for (let i = 1; i < attempts.length; i++) expect(attempts[i].arrivedAt - attempts[i - 1].arrivedAt).toBeGreaterThanOrEqual(900);

    const done = await waitForDeliveries(desk, sub.id, (ds) => ds.find((d) => d.status === 'DELIVERED'), 'the delivery DELIVERED');
    expect(webhookIdOf(done.id)).toBe(ok.id);
    expect(done).toMatchObject({ id: waiting.id, eventId: ok.payload.id, eventType: 'role-request.submitted', status: 'DELIVERED', attempts: 4, lastResponseCode: 200, nextAttemptAt: null, deliveredAt: expect.any(String) });
    expect(await deliveriesOf(desk, sub.id)).toHaveLength(1);
  });

  it('gets every event to a receiver that was down once it is back, each delivery answered 2xx exactly once', async () => {
    const { org, asOfficial } = await place('Outage');
    const hooks = await receiver();
    const sub = await subscribed(hooks, ['role-request.submitted', 'role-request.decided'], org.id);
    await hooks.down();

    const requests: Submitted[] = [];
    for (const name of ['Ola', 'Pia', 'Quin']) requests.push(await submit(org, `${name} Offline`));
    // The decision answers as usual while the endpoint is unreachable.
    const approve = await asOfficial.post(`/api/v1/role-requests/${requests[0].id}/approve`);
    expect(approve.status).toBe(200);
    expect(approve.body.status).toBe('APPROVED');

    // Every delivery was attempted while it was down, and failed without an answer.
    const failing = await waitForDeliveries(
      desk,
      sub.id,
      (ds) => ds.length === 4 && ds.every((d) => d.status === 'PENDING' && d.attempts >= 1 && d.lastError !== null) && ds,
      'four deliveries attempted and failed while the receiver is down',
    );
    for (const d of failing) expect(d.lastResponseCode).toBeNull();
    expect(hooks.requests).toEqual([]);

    await hooks.listen();
    const events = await Promise.all([
      ...requests.map((s) => delivered(hooks, 'role-request.submitted', s.id)),
      delivered(hooks, 'role-request.decided', requests[0].id),
    ]);
    const done = await waitForDeliveries(desk, sub.id, (ds) => ds.length === 4 && ds.every((d) => d.status === 'DELIVERED') && ds, 'all four deliveries DELIVERED');
    expect(new Set(done.map((d) => webhookIdOf(d.id)))).toEqual(new Set(events.map((e) => e.id)));
    for (const d of done) {
      const to = hooks.received((r) => r.id === webhookIdOf(d.id));
      expect({ id: d.id, answered: to.map((r) => r.answered) }).toEqual({ id: d.id, answered: [200] });
      expect(to[0].verified).toBe(true);
      expect(d.attempts).toBeGreaterThanOrEqual(2);
      expect(d.lastResponseCode).toBe(200);
    }
  });

  it('disables a subscription whose endpoint answers 410, delivers nothing more to it, and resumes it when asked', async () => {
    const { org } = await place('Gone');
    const [gone, control] = await Promise.all([receiver(), receiver()]);
    gone.respond(() => ({ status: 410 }));
    const subGone = await subscribed(gone, ['role-request.submitted'], org.id);
    const subControl = await subscribed(control, ['role-request.submitted'], org.id);

    const first = await submit(org, 'First');
    const firstEvent = await gone.waitFor(isEventOf('role-request.submitted', first.id), EVENT_WAIT_MS, 'the first event at the 410 endpoint');
    expect(firstEvent.answered).toBe(410);
    const disabled = await waitForWebhook(desk, subGone.id, (w) => w.status === 'DISABLED', 'the subscription DISABLED');
    expect(disabled).toMatchObject({ status: 'DISABLED', statusReason: expect.stringContaining('410'), statusChangedAt: expect.any(String) });
    const [gaveUp] = await waitForDeliveries(desk, subGone.id, (ds) => ds.length === 1 && ds[0].status !== 'PENDING' && ds, 'the 410 delivery given up');
    expect(gaveUp).toMatchObject({ eventId: firstEvent.payload.id, status: 'FAILED', attempts: 1, lastResponseCode: 410, nextAttemptAt: null, deliveredAt: null });
    // The list says so too.
    const listed = await desk.get('/api/v1/webhooks?pageSize=200');
    expect(listed.status).toBe(200);
    expect(listed.body.items.find((w: { id: string }) => w.id === subGone.id)).toMatchObject({ status: 'DISABLED' });

    // A later event of the same organization: the control subscription hears it (so it was fanned
    // out); the disabled one has no delivery for it, and its endpoint heard nothing more.
    const second = await submit(org, 'Second');
    const secondEvent = await delivered(control, 'role-request.submitted', second.id);
    expect((await deliveriesOf(desk, subGone.id)).map((d) => d.eventId)).toEqual([firstEvent.payload.id]);
    expect(gone.requests).toHaveLength(1);
    expect((await webhookView(desk, subGone.id)).status).toBe('DISABLED');
    expect(secondEvent.payload.id).not.toBe(firstEvent.payload.id);
    expect((await deliveriesOf(desk, subControl.id)).length).toBe(2);

    // PATCH {paused: false} resumes it: the next event is delivered again.
    gone.respond(() => ({ status: 200 }));
    const resumed = await desk.request('PATCH', `/api/v1/webhooks/${subGone.id}`, { paused: false });
    expect(resumed.status).toBe(200);
    expect(resumed.body).toMatchObject({ id: subGone.id, status: 'ACTIVE', statusReason: null });
    const third = await submit(org, 'Third');
    await delivered(gone, 'role-request.submitted', third.id);
    expect(gone.received((r) => isEventOf('role-request.submitted', second.id)(r))).toEqual([]);
  });

  it('lets a slow endpoint delay neither the decision nor another subscriber', async () => {
    const { org, asOfficial } = await place('Slow');
    const [slow, fast] = await Promise.all([receiver(), receiver()]);
    // Answers after 8 s: inside the 10 s timeout, so its deliveries succeed, late.
    slow.respond(() => ({ status: 200, delayMs: 8_000 }));
    const subSlow = await subscribed(slow, ['role-request.submitted', 'role-request.decided'], org.id);
    await subscribed(fast, ['role-request.submitted', 'role-request.decided'], org.id);

    const s = await submit(org);
    const held = await slow.waitForArrival((a) => isEventOf('role-request.submitted', s.id)(a), EVENT_WAIT_MS, 'the submission at the slow endpoint');
    // While the slow endpoint holds that request: the approval answers as usual ...
    const approve = await asOfficial.post(`/api/v1/role-requests/${s.id}/approve`);
    expect(approve.status).toBe(200);
    expect(approve.body.status).toBe('APPROVED');
    expect({ approveAnswered: true, slowEndpointAnswered: held.answered !== undefined }).toEqual({ approveAnswered: true, slowEndpointAnswered: false });
    // ... and the other subscriber gets both events, the decision included.
    await delivered(fast, 'role-request.submitted', s.id);
    const fastDecided = await delivered(fast, 'role-request.decided', s.id);
    expect({ fastGotTheDecision: true, slowEndpointAnswered: held.answered !== undefined }).toEqual({ fastGotTheDecision: true, slowEndpointAnswered: false });
    expect(fastDecided.verified).toBe(true);

    // The slow endpoint's answer counts: its delivery is DELIVERED at the first attempt.
    const slowAnswer = await slow.waitFor((r) => r.id === held.id, 30_000, 'the slow endpoint’s answer');
    expect(slowAnswer.answered).toBe(200);
    expect(slowAnswer.receivedAt).toBeGreaterThan(fastDecided.receivedAt);
    const slowDelivery = await waitForDeliveries(desk, subSlow.id, (ds) => ds.find((d) => webhookIdOf(d.id) === held.id && d.status === 'DELIVERED'), 'the slow delivery DELIVERED');
    expect(slowDelivery).toMatchObject({ attempts: 1, lastResponseCode: 200 });
  });

  it('sends a signed ping, redelivers with the same webhook-id, and signs with both secrets after a rotation', async () => {
    const { org } = await place('Ping');
    const hooks = await receiver();
    const sub = await subscribed(hooks, ['role-request.submitted'], org.id);
    const oldSecret = sub.secret;

    // The ping.
    const ping = await desk.post(`/api/v1/webhooks/${sub.id}/test`);
    expect(ping.status).toBe(202);
    const pinged = await hooks.waitFor((r) => r.payload?.type === 'webhook.ping', EVENT_WAIT_MS, 'the ping');
    expect(pinged).toMatchObject({ answered: 200, verified: true, verifiedWith: [0] });
    expect(pinged.payload).toMatchObject({ id: expect.stringMatching(/^evt_\w+$/), type: 'webhook.ping', version: 1, organizationId: null, data: { webhookId: sub.id } });
    const pingDelivery = await waitForDeliveries(desk, sub.id, (ds) => ds.find((d) => d.eventType === 'webhook.ping' && d.status === 'DELIVERED'), 'the ping DELIVERED');
    expect(webhookIdOf(pingDelivery.id)).toBe(pinged.id);

    // A redelivery: the same delivery, the same webhook-id and payload, signed afresh.
    const s = await submit(org);
    const original = await delivered(hooks, 'role-request.submitted', s.id);
    const d = await waitForDeliveries(desk, sub.id, (ds) => ds.find((x) => webhookIdOf(x.id) === original.id && x.status === 'DELIVERED'), 'the delivery DELIVERED');
    const redeliver = await desk.post(`/api/v1/webhooks/${sub.id}/deliveries/${d.id}/redeliver`);
    expect(redeliver.status).toBe(202);
    const again = await hooks.waitFor((r) => r.id === original.id && r !== original, EVENT_WAIT_MS, 'the redelivery');
    expect(again).toMatchObject({ answered: 200, verified: true });
    expect(again.payload).toEqual(original.payload);
    const afterRedelivery = await waitForDeliveries(desk, sub.id, (ds) => ds.find((x) => x.id === d.id && x.status === 'DELIVERED' && x.attempts >= 2), 'the redelivery recorded on the same delivery');
    expect(afterRedelivery).toMatchObject({ eventId: original.payload.id, lastResponseCode: 200 });
    expect((await deliveriesOf(desk, sub.id)).filter((x) => x.eventId === original.payload.id)).toHaveLength(1);
    // An unknown delivery is not found.
    expect((await desk.post(`/api/v1/webhooks/${sub.id}/deliveries/${pingDelivery.id.replace(/^.{8}/, '00000000')}/redeliver`)).status).toBe(404);

    // Rotation: a new secret, shown once; the old one still signs for 24 hours.
    const rotatedAt = Date.now();
    const rotated = await desk.post(`/api/v1/webhooks/${sub.id}/rotate-secret`);
    expect(rotated.status).toBe(200);
    expect(rotated.body.secret).toMatch(/^whsec_/);
    expect(rotated.body.secret).not.toBe(oldSecret);
    const expiresIn = Date.parse(rotated.body.previousSecretExpiresAt) - rotatedAt;
    expect(expiresIn).toBeGreaterThan(24 * 3600_000 - 120_000);
    expect(expiresIn).toBeLessThan(24 * 3600_000 + 120_000);
    hooks.secrets = [oldSecret, rotated.body.secret];

    const next = await submit(org, 'After Rotation');
    const signedTwice = await delivered(hooks, 'role-request.submitted', next.id);
    expect(signedTwice.signature.split(' ')).toHaveLength(2);
    for (const sig of signedTwice.signature.split(' ')) expect(sig).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
    // Verified with the old secret alone, and with the new one alone.
    expect(signedTwice.verifiedWith).toEqual([0, 1]);
    // Before the rotation, one signature, the old secret's.
    expect(original.signature.split(' ')).toHaveLength(1);
    expect(original.verifiedWith).toEqual([0]);
  });
});
