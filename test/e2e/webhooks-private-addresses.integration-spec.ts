// Issue 20, item 5 on real parts: without WEBHOOK_ALLOW_PRIVATE (the run's stack sets it, so its
// receivers on 127.0.0.1 can be reached), loopback, private and link-local endpoints, and names
// resolving to them, are refused at registration with a 400 naming `url`, and none is recorded. A
// stack of its own, without that setting, on a database of its own (so that "none is recorded"
// reads as an empty list, whatever the run's other tests register).
import { createScratchDatabase, type RunningServices, type ScratchDatabase } from '@am/devstack';
import { testStack } from '../setup/stack';
import { signIn, type Api } from '../support/api';
import { startExtraStack } from '../support/extra-stack';
import { createUser } from '../support/factories';
import { WebhookReceiver } from '../support/webhook-receiver';

describe('webhook endpoints on private addresses (issue 20, no WEBHOOK_ALLOW_PRIVATE)', () => {
  let scratch: ScratchDatabase;
  let stack: RunningServices;
  let desk: Api;
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    scratch = await createScratchDatabase(testStack().databaseUrl);
    [stack, receiver] = await Promise.all([startExtraStack('webhooks-private', { DATABASE_URL: scratch.url }, { unset: ['WEBHOOK_ALLOW_PRIVATE'] }), WebhookReceiver.start()]);
    desk = await signIn(await createUser({ platformRole: 'HELP_DESK', databaseUrl: scratch.url }), stack.gatewayUrl);
  }, 180_000);

  afterAll(async () => {
    await receiver?.stop();
    await stack?.stop();
    await scratch?.drop();
  });

  it('refuses loopback, private and link-local URLs (and names that resolve to them) with 400 naming url, and records none', async () => {
    const port = new URL(receiver.url()).port;
    const refused = [
      // The four of the issue.
      receiver.url(),
      `http://localhost:${port}/hooks`,
      'http://10.0.0.1/',
      'http://169.254.169.254/',
      // The rest of the ranges, and spellings of loopback that a URL parser turns into 127.0.0.1.
      `http://[::1]:${port}/hooks`,
      'http://192.168.1.20/hooks',
      'http://172.16.5.4/hooks',
      'http://0.0.0.0/',
      `http://127.1:${port}/hooks`,
      `http://2130706433:${port}/hooks`,
      'http://[::ffff:127.0.0.1]/',
      'http://[fe80::1]/',
      'http://[fd00::1]/',
    ];
    const answers = [];
    for (const url of refused) {
      const res = await desk.post('/api/v1/webhooks', { url, events: ['role-request.submitted'] });
      answers.push({ url, status: res.status, code: res.body?.error?.code, field: res.body?.error?.field });
    }
    expect(answers).toEqual(refused.map((url) => ({ url, status: 400, code: 'VALIDATION_FAILED', field: 'url' })));

    // Nothing recorded, nothing sent.
    const listed = await desk.get('/api/v1/webhooks');
    expect(listed.status).toBe(200);
    expect(listed.body).toMatchObject({ items: [], total: 0 });
    expect(receiver.arrivals).toEqual([]);

    // The refusals are about the address: a public one (an address literal: no DNS needed) is registered.
    const publicUrl = 'http://93.184.215.14/hooks';
    const accepted = await desk.post('/api/v1/webhooks', { url: publicUrl, events: ['role-request.submitted'] });
    expect(accepted.status).toBe(201);
    expect(accepted.body).toMatchObject({ url: publicUrl, status: 'ACTIVE' });
    const after = await desk.get('/api/v1/webhooks');
    expect(after.body.items.map((w: { url: string }) => w.url)).toEqual([publicUrl]);
    expect((await desk.request('DELETE', `/api/v1/webhooks/${accepted.body.id}`)).status).toBe(200);
    expect((await desk.get('/api/v1/webhooks')).body).toMatchObject({ items: [], total: 0 });
  });
});
