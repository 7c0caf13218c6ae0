// Issue 20: a webhook's signing secret is shown once, in the answer to its registration or its
// rotation, and kept nowhere in the clear: not in the idempotency store (a replay answers without
// it and says so), not in the logs, not in the database.
import { readFileSync } from 'node:fs';
import { query } from '@am/devstack';
import { testStack } from '../setup/stack';
import { databaseDump, filesUnder } from '../support/at-rest';
import { signIn } from '../support/api';
import { createOrganization, createUser } from '../support/factories';
import { WebhookReceiver } from '../support/webhook-receiver';

const db = () => testStack().databaseUrl;


describe('webhook signing secrets', () => {
  let receiver: WebhookReceiver;
  beforeAll(async () => {
    receiver = await WebhookReceiver.start();
  });
  afterAll(async () => {
    await receiver?.stop();
  });

  it('are never kept for a replay: a registration or rotation retried with its Idempotency-Key answers without the secret, says so, and registers or rotates once', async () => {
    const helpDesk = await signIn(await createUser({ platformRole: 'HELP_DESK' }));
    const org = await createOrganization();
    const url = receiver.url(`/replay/${org.id}`);
    const post = (path: string, idempotencyKey: string, body: unknown) =>
      fetch(`${testStack().gatewayUrl}${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${helpDesk.token}`, 'content-type': 'application/json', 'idempotency-key': idempotencyKey },
        body: JSON.stringify(body),
      });

    const registerKey = `register-webhook-${org.id}`;
    const first = await post('/api/v1/webhooks', registerKey, { url, events: ['access.removed'], organizationId: org.id });
    expect(first.status).toBe(201);
    const created = (await first.json()) as { id: string; secret: string; secretRotatedAt: string | null };
    expect(created.secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    const replay = await post('/api/v1/webhooks', registerKey, { url, events: ['access.removed'], organizationId: org.id });
    expect(replay.status).toBe(201);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    const replayed = (await replay.json()) as { id: string; secret?: string; secretWithheld?: string };
    expect(replayed.id).toBe(created.id);
    expect(replayed).not.toHaveProperty('secret');
    expect(replayed.secretWithheld).toMatch(/shown once.*rotate/s);
    const listed = await helpDesk.get('/api/v1/webhooks?pageSize=200');
    expect(listed.body.items.filter((w: { url: string }) => w.url === url)).toHaveLength(1);

    const rotateKey = `rotate-webhook-${org.id}`;
    const rotation = await post(`/api/v1/webhooks/${created.id}/rotate-secret`, rotateKey, {});
    expect(rotation.status).toBe(200);
    const rotated = (await rotation.json()) as { secret: string; secretRotatedAt: string; previousSecretExpiresAt: string };
    expect(rotated.secret).toMatch(/^whsec_/);
    expect(rotated.secret).not.toBe(created.secret);
    expect(Date.parse(rotated.previousSecretExpiresAt)).toBeGreaterThan(Date.now());
    const rotationReplay = await post(`/api/v1/webhooks/${created.id}/rotate-secret`, rotateKey, {});
    expect(rotationReplay.status).toBe(200);
    expect(rotationReplay.headers.get('idempotent-replayed')).toBe('true');
    const rotationReplayed = (await rotationReplay.json()) as { secret?: string; secretWithheld?: string; secretRotatedAt: string };
    expect(rotationReplayed).not.toHaveProperty('secret');
    expect(rotationReplayed.secretWithheld).toMatch(/shown once/);
    // Rotated once: the replay did not rotate again.
    expect((await helpDesk.get(`/api/v1/webhooks/${created.id}`)).body.secretRotatedAt).toBe(rotated.secretRotatedAt);
    expect(rotationReplayed.secretRotatedAt).toBe(rotated.secretRotatedAt);

    const stored = await query<{ response: unknown }>(db(), 'SELECT response FROM idempotency_keys WHERE key = ANY($1::text[])', [[registerKey, rotateKey]]);
    expect(stored).toHaveLength(2);
    for (const s of [created.secret, rotated.secret]) expect(JSON.stringify(stored)).not.toContain(s.slice('whsec_'.length));
  });

  it('are in no log and no row of the database in the clear, after a ping signed with them', async () => {
    const helpDesk = await signIn(await createUser({ platformRole: 'HELP_DESK' }));
    const org = await createOrganization();
    const created = await helpDesk.post('/api/v1/webhooks', { url: receiver.url(`/at-rest/${org.id}`), events: ['access.removed'], organizationId: org.id });
    expect(created.status).toBe(201);
    const rotated = await helpDesk.post(`/api/v1/webhooks/${created.body.id}/rotate-secret`);
    expect(rotated.status).toBe(200);
    // Signed with both (the old one still signs until previousSecretExpiresAt): the receiver verifies with each.
    receiver.secrets = [created.body.secret, rotated.body.secret];
    const ping = await helpDesk.post(`/api/v1/webhooks/${created.body.id}/test`);
    expect(ping.status).toBe(202);
    const got = await receiver.waitFor((r) => r.path === `/at-rest/${org.id}`, 30_000, 'the signed ping');
    expect(got.verifiedWith.sort()).toEqual([0, 1]);

    const secrets = [created.body.secret as string, rotated.body.secret as string].map((s) => s.slice('whsec_'.length));
    const logs = filesUnder(testStack().logDir).map((f) => ({ f, text: readFileSync(f, 'utf8') }));
    expect(logs.length).toBeGreaterThan(3);
    const dump = await databaseDump(db());
    expect(dump.length).toBeGreaterThan(10_000);
    for (const s of secrets) {
      expect(logs.filter((l) => l.text.includes(s)).map((l) => l.f)).toEqual([]);
      expect(dump.includes(s)).toBe(false);
    }
  });
});
