// Rule 13 end to end: a decision pops up live for the approver (Server-Sent Events through the
// gateway) and leaves in-app notices; submissions notify the approvers; the notices are listed
// and marked read through the public API, by their owner only; every email has both parts, the
// support footer and a link into the web UI.
import { randomUUID } from 'node:crypto';
import { waitFor } from '@am/devstack';
import { anonymous, mailbox, signIn, signInFresh, type Api } from '../support/api';
import { createOrganization, createUser, grantRole, type TestOrganization, type TestUser } from '../support/factories';
import { EventStream } from '../support/sse';

describe('in-app notifications', () => {
  let org: TestOrganization;
  let officialUser: TestUser;
  let requesterUser: TestUser;
  let official: Api;
  let requester: Api;
  const streams: EventStream[] = [];

  beforeAll(async () => {
    org = await createOrganization();
    [officialUser, requesterUser] = await Promise.all([createUser({ displayName: 'Olivia <Official>' }), createUser()]);
    await grantRole(officialUser, org, 'SECURITY_OFFICIAL');
    [official, requester] = await Promise.all([signIn(officialUser), signIn(requesterUser)]);
  });
  afterAll(() => streams.forEach((s) => s.close()));

  async function submit(): Promise<string> {
    const res = await requester.post('/api/v1/role-requests', { organizationId: org.id, role: 'STAFF_USER' });
    expect(res.status).toBe(201);
    return res.body.id as string;
  }

  const noticesOf = async (api: Api, query = '') => {
    const res = await api.get(`/api/v1/notifications${query}`);
    expect(res.status).toBe(200);
    return res.body as any[];
  };

  it('pushes the decision to the approver live, and leaves the requester an in-app notice', async () => {
    const stream = await EventStream.open('/api/v1/notifications/stream', official.token);
    streams.push(stream);
    expect(stream.status).toBe(200);
    await stream.next((e) => e.event === 'ready', 'the stream to open');

    const id = await submit();
    // Submissions notify the approvers: live and in the list.
    const submitted = await stream.next((e) => e.event === 'notice' && e.data.kind === 'request-submitted-approver' && e.data.title.includes(requesterUser.displayName), 'the submission notice');
    expect(submitted.data).toMatchObject({ popup: false, readAt: null, link: expect.stringMatching(/\/manage-access$/) });
    expect((await noticesOf(official)).map((n) => n.id)).toContain(submitted.data.id);

    const deny = await official.post(`/api/v1/role-requests/${id}/deny`, { reason: 'Not on our staff' });
    expect(deny.status).toBe(200);
    // A denial is final, and announced, once its undo window has passed (issue 17; 20 s in the test
    // stack): the pop-up confirms it then, not before.
    const finalAt = Date.parse(deny.body.undoUntil);
    const popup = await stream.next((e) => e.event === 'notice' && e.data.kind === 'decision-confirmed', 'the approver’s pop-up', 60_000);
    expect(popup.data).toMatchObject({ popup: true, title: `You denied ${requesterUser.displayName}'s request for the Staff User role at ${org.name}` });
    expect(popup.receivedAt).toBeGreaterThanOrEqual(finalAt);
    // "Within a second" is the target; allow slack for a loaded test machine and show what it was.
    const latency = popup.receivedAt - finalAt;
    expect(latency).toBeLessThan(2_000);
    console.log(`decision final -> approver pop-up over SSE: ${latency} ms`);

    const notice = await waitFor('the requester’s notice', async () => (await noticesOf(requester, '?unread=true')).find((n) => n.kind === 'request-decided'));
    expect(notice).toMatchObject({ popup: false, readAt: null, body: expect.stringContaining('Reason: Not on our staff') });
    // Nothing of anyone else's reaches another user's stream or list.
    expect(stream.events.filter((e) => e.event === 'notice').map((e) => e.data.id)).not.toContain(notice.id);
    expect((await noticesOf(official)).map((n) => n.id)).not.toContain(notice.id);
  });

  it('marks a notice read for its owner only, and lists unread ones', async () => {
    const [notice] = await waitFor('a notice of the requester', async () => {
      const list = await noticesOf(requester, '?unread=true');
      return list.length ? list : undefined;
    });
    const stranger = await signIn(await createUser());
    const refused = await stranger.post(`/api/v1/notifications/${notice.id}/read`);
    expect(refused.status).toBe(404);
    expect(refused.body).toEqual({ error: { code: 'NOT_FOUND', message: expect.any(String), field: 'id' } });
    expect((await official.post(`/api/v1/notifications/${notice.id}/read`)).status).toBe(404);
    expect((await stranger.post(`/api/v1/notifications/${randomUUID()}/read`)).status).toBe(404);

    const read = await requester.post(`/api/v1/notifications/${notice.id}/read`);
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ id: notice.id, readAt: expect.any(String) });
    const again = await requester.post(`/api/v1/notifications/${notice.id}/read`);
    expect(again.body.readAt).toBe(read.body.readAt);
    expect((await noticesOf(requester, '?unread=true')).map((n) => n.id)).not.toContain(notice.id);
    expect((await noticesOf(requester, '?unread=false')).map((n) => n.id)).toContain(notice.id);
  });

  it('refuses bad input naming the field, and strangers to the stream', async () => {
    const badUnread = await requester.get('/api/v1/notifications?unread=yes');
    expect(badUnread.status).toBe(400);
    expect(badUnread.body.error).toMatchObject({ code: 'VALIDATION_FAILED', field: 'unread' });
    const badLimit = await requester.get('/api/v1/notifications?limit=0');
    expect(badLimit.body.error).toMatchObject({ code: 'VALIDATION_FAILED', field: 'limit' });
    const badId = await requester.post('/api/v1/notifications/not-a-uuid/read');
    expect(badId.status).toBe(400);
    expect(badId.body.error).toMatchObject({ code: 'VALIDATION_FAILED', field: 'id' });
    expect((await anonymous.get('/api/v1/notifications')).status).toBe(401);
    const stream = await EventStream.open('/api/v1/notifications/stream');
    expect(stream.status).toBe(401);
    expect(JSON.parse(stream.body).error.code).toBe('UNAUTHENTICATED');
  });

  it('ends a stream when its session is signed out', async () => {
    const session = await signInFresh(await createUser());
    const stream = await EventStream.open('/api/v1/notifications/stream', session.token);
    streams.push(stream);
    await stream.next((e) => e.event === 'ready', 'the stream to open');
    expect((await session.post('/api/v1/auth/sign-out')).status).toBeLessThan(300);
    // The session is checked again with every keep-alive (20 s by default).
    await waitFor('the server to end the stream', async () => stream.ended, 45_000, 100);
    expect(stream.events.some((e) => e.event === 'ping')).toBe(true);
  });

  it('sends every email of an approval with a plain-text and an HTML part, the support footer and a web UI link', async () => {
    const id = await submit();
    expect((await official.post(`/api/v1/role-requests/${id}/approve`)).status).toBe(200);
    const keys = ['submitted/requester', `submitted/approver/${officialUser.id}`, 'decided/requester', `decided/approver/${officialUser.id}`].map(
      (k) => `role-request-${id}/${k}`,
    );
    const msgs = await waitFor('the four emails of the request', async () => {
      const mine = (await mailbox().messages()).filter((m) => keys.includes(m.headers['x-idempotency-key']));
      return mine.length >= keys.length ? mine : undefined;
    });
    expect(msgs.map((m) => m.headers['x-idempotency-key']).sort()).toEqual([...keys].sort());
    for (const m of msgs) {
      for (const part of [m.text, m.html]) {
        expect(part).toContain('1-866-288-8292');
        expect(part).toContain('QPP@cms.hhs.gov');
        expect(part).toContain('/manage-access');
      }
    }
    const toOfficial = msgs.find((m) => m.headers['x-idempotency-key'].endsWith(`submitted/approver/${officialUser.id}`))!;
    expect(toOfficial.html).toContain('Hello Olivia &lt;Official&gt;,');
    expect(toOfficial.text).toContain('Hello Olivia <Official>,');
  });
});
