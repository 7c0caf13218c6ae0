// Issue 14: live notification streams (Server-Sent Events) per user are capped, so one account
// cannot hold an unbounded number of the gateway's connections; closing a stream frees its slot.
import { waitFor } from '@am/devstack';
import { signIn } from '../support/api';
import { createUser } from '../support/factories';
import { rawRequest } from '../support/http';
import { EventStream } from '../support/sse';

const STREAMS_PER_USER = 5; // NOTICE_STREAMS_PER_USER's default
const PATH = '/api/v1/notifications/stream';

describe('live notification streams per user', () => {
  const open: EventStream[] = [];
  afterEach(() => {
    open.splice(0).forEach((s) => s.close());
  });

  async function openReady(token: string): Promise<EventStream> {
    const s = await EventStream.open(PATH, token);
    open.push(s);
    expect(s.status).toBe(200);
    await s.next((e) => e.event === 'ready', 'the stream to be ready');
    return s;
  }

  it(`allows ${STREAMS_PER_USER} at once, answers the next with 429 and Retry-After, and frees a slot when a stream closes`, async () => {
    const [user, other] = await Promise.all([createUser(), createUser()]);
    const [api, otherApi] = await Promise.all([signIn(user), signIn(other)]);
    const streams: EventStream[] = [];
    for (let i = 0; i < STREAMS_PER_USER; i++) streams.push(await openReady(api.token!));

    const refused = await rawRequest({ method: 'GET', path: PATH, headers: { accept: 'text/event-stream', authorization: `Bearer ${api.token}` } });
    expect(refused.status).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(refused.json).toEqual({ error: { code: 'THROTTLED', message: expect.stringMatching(/\S/), details: { limit: STREAMS_PER_USER, retryAfterSeconds: expect.any(Number) } } });

    // Per user: someone else still gets theirs.
    await openReady(otherApi.token!);

    // Closing one frees its slot (once the gateway has seen the connection close).
    streams[0].close();
    const reopened = await waitFor('a slot to be freed', async () => {
      const s = await EventStream.open(PATH, api.token!);
      if (s.status === 200) return s;
      expect(s.status).toBe(429);
      return undefined;
    }, 15_000, 50);
    open.push(reopened);
    await reopened.next((e) => e.event === 'ready', 'the reopened stream to be ready');

    // And the cap holds again.
    const again = await EventStream.open(PATH, api.token!);
    open.push(again);
    expect(again.status).toBe(429);
  });

  it('frees every slot once the streams close, and a refusal takes none', async () => {
    const api = await signIn(await createUser());
    const streams: EventStream[] = [];
    for (let i = 0; i < STREAMS_PER_USER; i++) streams.push(await openReady(api.token!));
    for (let i = 0; i < 3; i++) {
      const refused = await EventStream.open(PATH, api.token!);
      expect(refused.status).toBe(429);
    }
    // Closing them all frees them all (the three refusals hold none).
    streams.forEach((s) => s.close());
    await waitFor('every slot to be freed', async () => {
      const reopened: EventStream[] = [];
      for (let i = 0; i < STREAMS_PER_USER; i++) {
        const s = await EventStream.open(PATH, api.token!);
        reopened.push(s);
        open.push(s);
        if (s.status !== 200) {
          reopened.forEach((r) => r.close());
          return undefined;
        }
      }
      return true;
    }, 15_000, 50);
  });
});
