// Issue 20: what each webhook route answers, over real HTTP against the real directory and
// Temporal (every answer is also held to the OpenAPI document): a ping signed and delivered, its
// redelivery under the same webhook-id, 409 while a delivery is still being attempted, deliveries
// newest first and by state, pause and resume, rotation's overlap, deletion.
import { waitFor } from '@am/devstack';
import { signIn, type Api } from '../support/api';
import { createOrganization, createUser } from '../support/factories';
import { WebhookReceiver } from '../support/webhook-receiver';

const DAY_MS = 24 * 60 * 60 * 1000;
const webhookIdOf = (deliveryId: string) => `msg_${deliveryId.replace(/-/g, '')}`;

let receiver: WebhookReceiver;
let helpDesk: Api;
beforeAll(async () => {
  receiver = await WebhookReceiver.start();
  // Paths under /down/ always fail (503): their deliveries stay PENDING, retried.
  receiver.respond(({ path }) => ({ status: path.startsWith('/down/') ? 503 : 200 }));
  helpDesk = await signIn(await createUser({ platformRole: 'HELP_DESK' }));
});
afterAll(async () => {
  await receiver?.stop();
});

async function register(path: string): Promise<{ id: string; secret: string; url: string }> {
  const org = await createOrganization();
  const res = await helpDesk.post('/api/v1/webhooks', { url: receiver.url(`${path}/${org.id}`), events: ['access.removed'], organizationId: org.id, description: 'Routes' });
  expect(res.status).toBe(201);
  return res.body;
}

async function deliveryOf(webhookId: string, deliveryId: string) {
  const res = await helpDesk.get(`/api/v1/webhooks/${webhookId}/deliveries?pageSize=200`);
  expect(res.status).toBe(200);
  return (res.body.items as { id: string; status: string; attempts: number; nextAttemptAt: string | null; lastResponseCode: number | null }[]).find((d) => d.id === deliveryId);
}

describe('webhook routes', () => {
  it('POST /test sends a signed webhook.ping (202), and a redelivery sends it again under the same webhook-id (202)', async () => {
    const w = await register('/up');
    receiver.secrets = [w.secret];
    const ping = await helpDesk.post(`/api/v1/webhooks/${w.id}/test`);
    expect(ping.status).toBe(202);
    expect(ping.body).toMatchObject({ webhookId: w.id, eventType: 'webhook.ping', status: 'PENDING' });
    const first = await receiver.waitFor((r) => r.id === webhookIdOf(ping.body.id), 30_000, 'the ping');
    expect(first.verified).toBe(true);
    expect(first.payload).toMatchObject({ type: 'webhook.ping', id: ping.body.eventId });
    await waitFor('the ping to be DELIVERED', async () => (await deliveryOf(w.id, ping.body.id))?.status === 'DELIVERED', 30_000);
    expect(await deliveryOf(w.id, ping.body.id)).toMatchObject({ status: 'DELIVERED', lastResponseCode: 200, nextAttemptAt: null });

    const again = await helpDesk.post(`/api/v1/webhooks/${w.id}/deliveries/${ping.body.id}/redeliver`);
    expect(again.status).toBe(202);
    expect(again.body).toMatchObject({ id: ping.body.id, status: 'PENDING' });
    await waitFor('the redelivery', async () => receiver.received((r) => r.id === webhookIdOf(ping.body.id)).length === 2, 30_000);
    const [, second] = receiver.received((r) => r.id === webhookIdOf(ping.body.id));
    expect(second.verified).toBe(true);
    // The same event, byte for byte; a fresh timestamp and signature.
    expect(second.body).toBe(first.body);
  });

  it('POST .../redeliver answers 409 DELIVERY_IN_PROGRESS while the delivery is still being attempted, and 404 for a delivery of another subscription', async () => {
    const w = await register('/down');
    const other = await register('/up');
    const ping = await helpDesk.post(`/api/v1/webhooks/${w.id}/test`);
    expect(ping.status).toBe(202);
    await waitFor('a failed attempt', async () => ((await deliveryOf(w.id, ping.body.id))?.attempts ?? 0) >= 1, 30_000);

    const busy = await helpDesk.post(`/api/v1/webhooks/${w.id}/deliveries/${ping.body.id}/redeliver`);
    expect(busy.status).toBe(409);
    expect(busy.body.error).toMatchObject({ code: 'DELIVERY_IN_PROGRESS', field: 'deliveryId' });
    expect(busy.body.error.details).toHaveProperty('nextAttemptAt');
    const elsewhere = await helpDesk.post(`/api/v1/webhooks/${other.id}/deliveries/${ping.body.id}/redeliver`);
    expect(elsewhere.status).toBe(404);
    expect(elsewhere.body.error.code).toBe('NOT_FOUND');

    // Deleted: answered as it was, then gone; its pending delivery is given up.
    const deleted = await helpDesk.request('DELETE', `/api/v1/webhooks/${w.id}`);
    expect(deleted.status).toBe(200);
    expect(deleted.body).toMatchObject({ id: w.id, url: w.url, description: 'Routes', status: 'ACTIVE' });
    expect(deleted.body).not.toHaveProperty('secret');
    expect((await helpDesk.get(`/api/v1/webhooks/${w.id}`)).status).toBe(404);
    expect((await helpDesk.get(`/api/v1/webhooks/${w.id}/deliveries`)).status).toBe(404);
    expect((await helpDesk.request('DELETE', `/api/v1/webhooks/${w.id}`)).status).toBe(404);
    const listed = await helpDesk.get('/api/v1/webhooks?pageSize=200');
    expect(listed.body.items.map((x: { id: string }) => x.id)).not.toContain(w.id);
  });

  it('GET .../deliveries lists newest first and filters by state', async () => {
    const w = await register('/up');
    const pings: string[] = [];
    for (let i = 0; i < 3; i++) {
      const ping = await helpDesk.post(`/api/v1/webhooks/${w.id}/test`);
      expect(ping.status).toBe(202);
      pings.push(ping.body.id);
    }
    await waitFor('every ping to be DELIVERED', async () => (await helpDesk.get(`/api/v1/webhooks/${w.id}/deliveries?status=DELIVERED`)).body.total === 3, 30_000);
    const all = await helpDesk.get(`/api/v1/webhooks/${w.id}/deliveries`);
    expect(all.body).toMatchObject({ page: 1, total: 3 });
    expect(all.body.items.map((d: { id: string }) => d.id)).toEqual([...pings].reverse());
    const paged = await helpDesk.get(`/api/v1/webhooks/${w.id}/deliveries?pageSize=2&page=2`);
    expect(paged.body).toMatchObject({ page: 2, pageSize: 2, total: 3, items: [{ id: pings[0] }] });
    expect(await helpDesk.get(`/api/v1/webhooks/${w.id}/deliveries?status=PENDING`)).toMatchObject({ status: 200, body: { items: [], total: 0 } });
    expect((await helpDesk.get(`/api/v1/webhooks/${w.id}/deliveries?status=FAILED`)).body.total).toBe(0);
  });

  it('PATCH pauses, resumes and changes; rotate-secret keeps the old secret signing for 24 hours', async () => {
    const w = await register('/up');
    const paused = await helpDesk.request('PATCH', `/api/v1/webhooks/${w.id}`, { paused: true });
    expect(paused.status).toBe(200);
    expect(paused.body).toMatchObject({ status: 'PAUSED', statusReason: expect.any(String), statusChangedAt: expect.any(String) });
    const resumed = await helpDesk.request('PATCH', `/api/v1/webhooks/${w.id}`, { paused: false, events: ['access.removed', 'role-request.decided'], description: null });
    expect(resumed.status).toBe(200);
    expect(resumed.body).toMatchObject({ status: 'ACTIVE', statusReason: null, events: ['access.removed', 'role-request.decided'], description: null });
    const nothing = await helpDesk.request('PATCH', `/api/v1/webhooks/${w.id}`, {});
    expect(nothing.status).toBe(400);
    expect(nothing.body.error).toMatchObject({ code: 'VALIDATION_FAILED', field: 'body' });

    const before = Date.now();
    const rotated = await helpDesk.post(`/api/v1/webhooks/${w.id}/rotate-secret`);
    expect(rotated.status).toBe(200);
    expect(rotated.body.secret).toMatch(/^whsec_/);
    expect(rotated.body.secret).not.toBe(w.secret);
    const overlapEnds = Date.parse(rotated.body.previousSecretExpiresAt);
    expect(overlapEnds).toBeGreaterThanOrEqual(before + DAY_MS - 5_000);
    expect(overlapEnds).toBeLessThanOrEqual(Date.now() + DAY_MS + 5_000);
    const read = await helpDesk.get(`/api/v1/webhooks/${w.id}`);
    expect(read.body).toMatchObject({ previousSecretExpiresAt: rotated.body.previousSecretExpiresAt, secretRotatedAt: rotated.body.secretRotatedAt });
    expect(read.body).not.toHaveProperty('secret');
  });
});
