// Issue 6: every endpoint against every kind of caller. Each cell states whether the caller may
// pass authorization; a denied cell must answer 401/403 (404 where existence is hidden), and an
// allowed cell must not. Any unexpected allow fails the test, and names the cell.
import { randomUUID } from 'node:crypto';
import { API_KEY_SCOPES, type ApiKeyScope } from '@am/contracts';
import { waitFor } from '@am/devstack';
import { testStack } from '../setup/stack';
import { signIn, withKey, type Api } from '../support/api';
import { createOrganization, createUser, grantRole, type TestOrganization, type TestUser } from '../support/factories';
import { WebhookReceiver } from '../support/webhook-receiver';

type Caller = 'anonymous' | 'requester' | 'staffUser' | 'officialHere' | 'officialElsewhere' | 'helpDesk' | 'keyWithScope' | 'keyWithoutScope';
const CALLERS: Caller[] = ['anonymous', 'requester', 'staffUser', 'officialHere', 'officialElsewhere', 'helpDesk', 'keyWithScope', 'keyWithoutScope'];
const PEOPLE: Caller[] = ['requester', 'staffUser', 'officialHere', 'officialElsewhere', 'helpDesk'];
/** Issue 20: the help desk, and an API key with webhooks:manage (it acts as the help desk user who created it). */
const WEBHOOK_MANAGERS: Caller[] = ['helpDesk', 'keyWithScope'];

interface Fixture {
  org: TestOrganization;
  target: TestUser;
  requestId?: string;
  apiKeyId?: string;
  nominationId?: string;
  reviewId?: string;
  /** The path of the official here's personal calendar feed (issue 19). */
  feedPath?: string;
  /** A webhook subscription (issue 20), registered by the API key with every scope, and a delivered ping of it. */
  webhookId?: string;
  deliveryId?: string;
}
interface Cell {
  method: string;
  path: (f: Fixture) => string;
  /** The body, or how to make it from the fixture. */
  body?: unknown | ((f: Fixture) => unknown);
  /** The scope an API key needs here; none: people only. */
  scope?: ApiKeyScope;
  needsRequest?: boolean;
  /** The request is denied by the organization's Security Official, inside its undo window (issue 17). */
  needsDenial?: boolean;
  needsApiKey?: boolean;
  /** A pending nomination of the staff user by the official here (issue 18). */
  needsNomination?: boolean;
  /** An open access review of the organization, started by the help desk (issue 18). */
  needsReview?: boolean;
  /** The official here's personal calendar feed URL (issue 19). */
  needsFeed?: boolean;
  /** A webhook subscription of the organization, registered by the API key with every scope (issue 20). */
  needsWebhook?: boolean;
  /** A delivered ping of that subscription (issue 20). */
  needsDelivery?: boolean;
  /**
   * An allowed caller must succeed (2xx), not merely get past authorization: a 404 there would be
   * the directory hiding from an allowed caller what it may see (issue 20: an API key sees only what it registered).
   */
  succeeds?: boolean;
  /**
   * A bulk answer (issue 17): 200 with one result per request, each with the status it would have
   * been answered alone. Authorization is per request: the cell's status is the one request's.
   */
  perItem?: boolean;
  allowed: Caller[];
}

const ENDPOINTS: Record<string, Cell> = {
  'GET /me': { method: 'GET', path: () => '/api/v1/me', allowed: PEOPLE },
  'GET /manage-access': { method: 'GET', path: () => '/api/v1/manage-access', allowed: PEOPLE },
  'GET /notifications': { method: 'GET', path: () => '/api/v1/notifications?unread=true', allowed: PEOPLE },
  'GET /organizations': { method: 'GET', path: (f) => `/api/v1/organizations?q=${f.org.identifier}`, scope: 'organizations:read', allowed: [...PEOPLE, 'keyWithScope'] },
  'GET /organizations/{id}': { method: 'GET', path: (f) => `/api/v1/organizations/${f.org.id}`, scope: 'organizations:read', allowed: [...PEOPLE, 'keyWithScope'] },
  'GET /organizations/{id}/users': { method: 'GET', path: (f) => `/api/v1/organizations/${f.org.id}/users`, scope: 'organizations:read', allowed: ['officialHere', 'helpDesk', 'keyWithScope'] },
  'DELETE /organizations/{id}/users/{userId}': { method: 'DELETE', path: (f) => `/api/v1/organizations/${f.org.id}/users/${f.target.id}`, allowed: ['officialHere', 'helpDesk'] },
  'PUT /organizations/{id}/registration': {
    method: 'PUT',
    path: (f) => `/api/v1/organizations/${f.org.id}/registration`,
    body: { cmsWebInterface: true, cahpsSurvey: false },
    allowed: ['officialHere'],
  },
  'POST /role-requests': {
    method: 'POST',
    path: () => '/api/v1/role-requests',
    body: 'request-body',
    scope: 'requests:submit',
    allowed: [...PEOPLE, 'keyWithScope'],
  },
  'GET /role-requests/{id}': { method: 'GET', path: (f) => `/api/v1/role-requests/${f.requestId}`, scope: 'requests:read', needsRequest: true, allowed: ['requester', 'officialHere', 'helpDesk', 'keyWithScope'] },
  'POST /role-requests/{id}/approve': { method: 'POST', path: (f) => `/api/v1/role-requests/${f.requestId}/approve`, body: {}, needsRequest: true, allowed: ['officialHere'] },
  'POST /role-requests/{id}/deny': { method: 'POST', path: (f) => `/api/v1/role-requests/${f.requestId}/deny`, body: {}, needsRequest: true, allowed: ['officialHere'] },
  // Issue 17: undo a denial inside its window (the request's approvers), and bulk decisions (each request's approvers, per request).
  'POST /role-requests/{id}/undo': { method: 'POST', path: (f) => `/api/v1/role-requests/${f.requestId}/undo`, body: {}, needsRequest: true, needsDenial: true, allowed: ['officialHere'] },
  'POST /role-requests/decisions (APPROVE)': {
    method: 'POST',
    path: () => '/api/v1/role-requests/decisions',
    body: (f: Fixture) => ({ decision: 'APPROVE', requestIds: [f.requestId] }),
    needsRequest: true,
    perItem: true,
    allowed: ['officialHere'],
  },
  'POST /role-requests/decisions (DENY)': {
    method: 'POST',
    path: () => '/api/v1/role-requests/decisions',
    body: (f: Fixture) => ({ decision: 'DENY', requestIds: [f.requestId], reasonCode: 'NOT_AFFILIATED' }),
    needsRequest: true,
    perItem: true,
    allowed: ['officialHere'],
  },
  'POST /role-requests/{id}/withdraw': { method: 'POST', path: (f) => `/api/v1/role-requests/${f.requestId}/withdraw`, body: {}, needsRequest: true, allowed: ['requester'] },
  'GET /audit': { method: 'GET', path: (f) => `/api/v1/audit?organizationId=${f.org.id}`, allowed: ['officialHere', 'helpDesk'] },
  'POST /api-keys': { method: 'POST', path: () => '/api/v1/api-keys', body: { name: 'matrix', scopes: ['organizations:read'] }, allowed: ['helpDesk'] },
  'GET /api-keys': { method: 'GET', path: () => '/api/v1/api-keys', allowed: ['helpDesk'] },
  'DELETE /api-keys/{id}': { method: 'DELETE', path: (f) => `/api/v1/api-keys/${f.apiKeyId}`, needsApiKey: true, allowed: ['helpDesk'] },
  // Issue 18: nominating a backup Security Official (people only): the officials nominate, the nominee answers.
  'POST /organizations/{id}/nominations': { method: 'POST', path: (f) => `/api/v1/organizations/${f.org.id}/nominations`, body: (f: Fixture) => ({ userId: f.target.id }), allowed: ['officialHere'] },
  'GET /nominations/{id}': { method: 'GET', path: (f) => `/api/v1/nominations/${f.nominationId}`, needsNomination: true, allowed: ['staffUser', 'officialHere', 'helpDesk'] },
  'POST /nominations/{id}/accept': { method: 'POST', path: (f) => `/api/v1/nominations/${f.nominationId}/accept`, body: {}, needsNomination: true, allowed: ['staffUser'] },
  'POST /nominations/{id}/decline': { method: 'POST', path: (f) => `/api/v1/nominations/${f.nominationId}/decline`, body: {}, needsNomination: true, allowed: ['staffUser'] },
  'GET /me/nominations': { method: 'GET', path: () => '/api/v1/me/nominations', allowed: PEOPLE },
  // Issue 18: access reviews (people only): the help desk runs campaigns; the organization's Security Officials (and the help desk) review.
  'POST /access-reviews': { method: 'POST', path: () => '/api/v1/access-reviews', body: (f: Fixture) => ({ organizationId: f.org.id, dueAt: new Date(Date.now() + 120_000).toISOString() }), allowed: ['helpDesk'] },
  'GET /access-reviews': { method: 'GET', path: () => '/api/v1/access-reviews', allowed: ['helpDesk'] },
  'GET /me/access-reviews': { method: 'GET', path: () => '/api/v1/me/access-reviews', allowed: PEOPLE },
  // Issue 19: one's own email preferences (people only; "immediate" is everyone's default, so the cell changes nothing).
  'GET /me/preferences': { method: 'GET', path: () => '/api/v1/me/preferences', allowed: PEOPLE },
  'PUT /me/preferences': { method: 'PUT', path: () => '/api/v1/me/preferences', body: { emailDigest: 'immediate' }, allowed: PEOPLE },
  'GET /access-reviews/{id}': { method: 'GET', path: (f) => `/api/v1/access-reviews/${f.reviewId}`, needsReview: true, allowed: ['officialHere', 'helpDesk'] },
  'POST /access-reviews/{id}/decisions': {
    method: 'POST',
    path: (f) => `/api/v1/access-reviews/${f.reviewId}/decisions`,
    body: (f: Fixture) => ({ items: [{ userId: f.target.id, decision: 'KEEP' }] }),
    needsReview: true,
    allowed: ['officialHere', 'helpDesk'],
  },
  // Issue 19: the program calendar and its public feed admit everyone; a personal feed, whoever holds
  // its URL (the token is the credential); the URL itself is shown and replaced to its person only.
  'GET /program-calendar': { method: 'GET', path: () => '/api/v1/program-calendar', allowed: CALLERS },
  'GET /program-calendar.ics': { method: 'GET', path: () => '/api/v1/program-calendar.ics', allowed: CALLERS },
  'GET /program-calendar/feeds/{token}.ics': { method: 'GET', path: (f) => f.feedPath!, needsFeed: true, allowed: CALLERS },
  'GET /me/calendar-feed': { method: 'GET', path: () => '/api/v1/me/calendar-feed', allowed: PEOPLE },
  'POST /me/calendar-feed/rotate': { method: 'POST', path: () => '/api/v1/me/calendar-feed/rotate', body: {}, allowed: PEOPLE },
  // Issue 10: the help desk's hold on accounts (people only; the help desk only).
  'GET /users/{userId}': { method: 'GET', path: (f) => `/api/v1/users/${f.target.loginId}`, allowed: ['helpDesk'] },
  'POST /users/{userId}/disable': { method: 'POST', path: (f) => `/api/v1/users/${f.target.loginId}/disable`, body: { reason: 'matrix' }, allowed: ['helpDesk'] },
  'POST /users/{userId}/enable': { method: 'POST', path: (f) => `/api/v1/users/${f.target.id}/enable`, body: { reason: 'matrix' }, allowed: ['helpDesk'] },
  'POST /users/{userId}/reset-two-factor': { method: 'POST', path: (f) => `/api/v1/users/${f.target.loginId}/reset-two-factor`, body: { reason: 'matrix' }, allowed: ['helpDesk'] },
  // Issue 10: the public account routes admit everyone (an API key or a session is simply not needed).
  'POST /accounts/verify-email': { method: 'POST', path: () => '/api/v1/accounts/verify-email', body: { token: 'not-a-live-link-token' }, allowed: CALLERS },
  'POST /accounts/forgot-user-id': { method: 'POST', path: () => '/api/v1/accounts/forgot-user-id', body: { email: 'nobody.matrix@example.com' }, allowed: CALLERS },
  'POST /accounts/forgot-password': { method: 'POST', path: () => '/api/v1/accounts/forgot-password', body: { userId: 'nobody.matrix' }, allowed: CALLERS },
  // Issue 20: outbound webhooks, for the help desk and API keys with webhooks:manage (acting as the help desk user who
  // created them). The subscription is the key's own, so both the help desk and that key must succeed.
  'POST /webhooks': {
    method: 'POST',
    path: () => '/api/v1/webhooks',
    body: (f: Fixture) => ({ url: receiver.url(`/matrix/${f.org.id}`), events: ['role-request.decided'], organizationId: f.org.id }),
    scope: 'webhooks:manage',
    succeeds: true,
    allowed: WEBHOOK_MANAGERS,
  },
  'GET /webhooks': { method: 'GET', path: () => '/api/v1/webhooks?pageSize=5', scope: 'webhooks:manage', succeeds: true, allowed: WEBHOOK_MANAGERS },
  'GET /webhooks/{id}': { method: 'GET', path: (f) => `/api/v1/webhooks/${f.webhookId}`, scope: 'webhooks:manage', needsWebhook: true, succeeds: true, allowed: WEBHOOK_MANAGERS },
  'PATCH /webhooks/{id}': { method: 'PATCH', path: (f) => `/api/v1/webhooks/${f.webhookId}`, body: { paused: true }, scope: 'webhooks:manage', needsWebhook: true, succeeds: true, allowed: WEBHOOK_MANAGERS },
  'DELETE /webhooks/{id}': { method: 'DELETE', path: (f) => `/api/v1/webhooks/${f.webhookId}`, scope: 'webhooks:manage', needsWebhook: true, succeeds: true, allowed: WEBHOOK_MANAGERS },
  'POST /webhooks/{id}/rotate-secret': { method: 'POST', path: (f) => `/api/v1/webhooks/${f.webhookId}/rotate-secret`, body: {}, scope: 'webhooks:manage', needsWebhook: true, succeeds: true, allowed: WEBHOOK_MANAGERS },
  'GET /webhooks/{id}/deliveries': { method: 'GET', path: (f) => `/api/v1/webhooks/${f.webhookId}/deliveries?status=DELIVERED`, scope: 'webhooks:manage', needsWebhook: true, succeeds: true, allowed: WEBHOOK_MANAGERS },
  'POST /webhooks/{id}/deliveries/{deliveryId}/redeliver': {
    method: 'POST',
    path: (f) => `/api/v1/webhooks/${f.webhookId}/deliveries/${f.deliveryId}/redeliver`,
    body: {},
    scope: 'webhooks:manage',
    needsWebhook: true,
    needsDelivery: true,
    succeeds: true,
    allowed: WEBHOOK_MANAGERS,
  },
  'POST /webhooks/{id}/test': { method: 'POST', path: (f) => `/api/v1/webhooks/${f.webhookId}/test`, body: {}, scope: 'webhooks:manage', needsWebhook: true, succeeds: true, allowed: WEBHOOK_MANAGERS },
};

const users = {} as Record<Exclude<Caller, 'anonymous' | 'keyWithScope' | 'keyWithoutScope'>, TestUser>;
const apis = {} as Record<string, Api>;
/** keys[scope] holds every scope but that one; keys.all holds them all. */
const keys = {} as Record<ApiKeyScope | 'all', string>;
/** Where the webhook subscriptions of the matrix deliver (issue 20). */
let receiver: WebhookReceiver;

afterAll(async () => {
  await receiver?.stop();
});

beforeAll(async () => {
  receiver = await WebhookReceiver.start();
  const [requester, staffUser, officialHere, officialElsewhere, helpDesk] = await Promise.all([
    createUser(),
    createUser(),
    createUser(),
    createUser(),
    createUser({ platformRole: 'HELP_DESK' }),
  ]);
  Object.assign(users, { requester, staffUser, officialHere, officialElsewhere, helpDesk });
  await grantRole(officialElsewhere, await createOrganization(), 'SECURITY_OFFICIAL');
  for (const [name, user] of Object.entries(users)) apis[name] = await signIn(user);
  const createKey = async (scopes: readonly ApiKeyScope[]) =>
    (await apis.helpDesk.post('/api/v1/api-keys', { name: 'matrix caller', scopes, rateLimitPerMinute: 10000 })).body.key as string;
  keys.all = await createKey(API_KEY_SCOPES);
  for (const scope of API_KEY_SCOPES) keys[scope] = await createKey(API_KEY_SCOPES.filter((s) => s !== scope));
});

async function fixture(cell: Cell): Promise<Fixture> {
  const org = await createOrganization();
  const target = await createUser();
  await Promise.all([grantRole(users.officialHere, org, 'SECURITY_OFFICIAL'), grantRole(users.staffUser, org, 'STAFF_USER'), grantRole(target, org, 'STAFF_USER')]);
  const f: Fixture = { org, target };
  if (cell.needsRequest) {
    const res = await apis.requester.post('/api/v1/role-requests', { organizationId: org.id, role: 'STAFF_USER' });
    expect(res.status).toBe(201);
    f.requestId = res.body.id;
  }
  if (cell.needsDenial) {
    const res = await apis.officialHere.post(`/api/v1/role-requests/${f.requestId}/deny`, { reasonCode: 'WRONG_ROLE' });
    expect(res.status).toBe(200);
  }
  if (cell.needsNomination) {
    const res = await apis.officialHere.post(`/api/v1/organizations/${org.id}/nominations`, { userId: users.staffUser.id });
    expect(res.status).toBe(201);
    f.nominationId = res.body.id;
  }
  if (cell.needsReview) {
    const res = await apis.helpDesk.post('/api/v1/access-reviews', { organizationId: org.id, dueAt: new Date(Date.now() + 120_000).toISOString() });
    expect(res.status).toBe(201);
    f.reviewId = (await apis.helpDesk.get(`/api/v1/access-reviews/${res.body.id}`)).body.organizations.items[0].id;
  }
  if (cell.needsFeed) {
    const res = await apis.officialHere.get('/api/v1/me/calendar-feed');
    expect(res.status).toBe(200);
    f.feedPath = new URL(res.body.url).pathname;
  }
  if (cell.needsWebhook) {
    const res = await withKey(keys.all, 'POST', '/api/v1/webhooks', { body: { url: receiver.url(`/matrix/${org.id}`), events: ['access.removed'], organizationId: org.id } });
    expect(res.status).toBe(201);
    f.webhookId = res.body.id;
  }
  if (cell.needsDelivery) {
    const ping = await apis.helpDesk.post(`/api/v1/webhooks/${f.webhookId}/test`);
    expect(ping.status).toBe(202);
    f.deliveryId = ping.body.id;
    // Redelivery is for a delivery no longer being attempted: wait until the receiver's 200 is recorded.
    await waitFor('the ping to be delivered', async () => (await apis.helpDesk.get(`/api/v1/webhooks/${f.webhookId}/deliveries?status=DELIVERED`)).body.items.some((d: { id: string }) => d.id === f.deliveryId), 30_000);
  }
  if (cell.needsApiKey) f.apiKeyId = (await apis.helpDesk.post('/api/v1/api-keys', { name: 'to revoke', scopes: ['requests:read'] })).body.id;
  return f;
}

async function call(caller: Caller, cell: Cell, f: Fixture): Promise<number> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (caller === 'keyWithScope') headers['x-api-key'] = keys.all;
  else if (caller === 'keyWithoutScope') headers['x-api-key'] = cell.scope ? keys[cell.scope] : keys.all;
  else if (caller !== 'anonymous') headers.authorization = `Bearer ${apis[caller].token}`;
  if (caller.startsWith('key') && cell.scope === 'requests:submit') headers['x-on-behalf-of'] = (await createUser()).loginId;
  const body = cell.body === 'request-body' ? { organizationId: f.org.id, role: 'STAFF_USER' } : typeof cell.body === 'function' ? cell.body(f) : cell.body;
  const res = await fetch(`${testStack().gatewayUrl}${cell.path(f)}`, {
    method: cell.method,
    headers: { ...headers, 'idempotency-key': randomUUID() },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (cell.perItem && res.status === 200) {
    const { results } = (await res.json()) as { results: { requestId: string; status: number }[] };
    expect(results.map((r) => r.requestId)).toEqual([f.requestId]);
    return results[0].status;
  }
  await res.arrayBuffer();
  return res.status;
}

describe('authorization matrix', () => {
  it.each(Object.keys(ENDPOINTS))('%s admits exactly the callers it should', async (name) => {
    const cell = ENDPOINTS[name];
    const unexpected: string[] = [];
    for (const caller of CALLERS) {
      const status = await call(caller, cell, await fixture(cell));
      const allowed = cell.allowed.includes(caller);
      const denied = caller === 'anonymous' ? status === 401 : status === 403 || status === 404;
      if (status >= 500) unexpected.push(`${caller}: ${status} (server error)`);
      else if (allowed && (status === 401 || status === 403)) unexpected.push(`${caller}: ${status}, expected to be let through`);
      else if (allowed && cell.succeeds && (status < 200 || status > 299)) unexpected.push(`${caller}: ${status}, expected to succeed`);
      else if (!allowed && !denied) unexpected.push(`${caller}: ${status}, expected ${caller === 'anonymous' ? 401 : '403'}`);
    }
    expect(unexpected).toEqual([]);
  });
});

// Issue 20: an API key acts as the help desk user who created it, yet sees and manages only the
// subscriptions it registered itself; the help desk (a person) sees them all.
describe('webhook subscriptions and API keys', () => {
  it('an API key sees and manages only the subscriptions it registered; the help desk sees every one', async () => {
    const org = await createOrganization();
    const create = async (scopes: ApiKeyScope[]) => (await apis.helpDesk.post('/api/v1/api-keys', { name: 'webhook owner', scopes, rateLimitPerMinute: 10000 })).body as { id: string; key: string };
    const [mine, other] = await Promise.all([create(['webhooks:manage']), create(['webhooks:manage', 'organizations:read'])]);
    const body = (name: string) => ({ url: receiver.url(`/ownership/${org.id}/${name}`), events: ['access.removed'], organizationId: org.id, description: name });

    const byKey = await withKey(mine.key, 'POST', '/api/v1/webhooks', { body: body('by key') });
    expect(byKey.status).toBe(201);
    expect(byKey.body.createdByApiKey).toEqual({ id: mine.id, name: 'webhook owner' });
    expect(byKey.body.createdBy.id).toBe(users.helpDesk.id);
    const byPerson = await apis.helpDesk.post('/api/v1/webhooks', body('by person'));
    expect(byPerson.status).toBe(201);
    expect(byPerson.body.createdByApiKey).toBeNull();

    // The other key: neither subscription exists for it, whatever it tries.
    const refused: string[] = [];
    for (const id of [byKey.body.id, byPerson.body.id]) {
      const tries: [string, string, unknown?][] = [
        ['GET', `/api/v1/webhooks/${id}`],
        ['PATCH', `/api/v1/webhooks/${id}`, { paused: true }],
        ['POST', `/api/v1/webhooks/${id}/rotate-secret`, {}],
        ['GET', `/api/v1/webhooks/${id}/deliveries`],
        ['POST', `/api/v1/webhooks/${id}/test`, {}],
        ['POST', `/api/v1/webhooks/${id}/deliveries/${randomUUID()}/redeliver`, {}],
        ['DELETE', `/api/v1/webhooks/${id}`],
      ];
      for (const [method, path, b] of tries) {
        const res = await withKey(other.key, method, path, b === undefined ? {} : { body: b });
        if (res.status !== 404 || res.body?.error?.code !== 'NOT_FOUND') refused.push(`${method} ${path} -> ${res.status} ${JSON.stringify(res.body).slice(0, 160)}`);
      }
    }
    expect(refused).toEqual([]);
    const otherList = await withKey(other.key, 'GET', '/api/v1/webhooks?pageSize=200');
    expect(otherList.status).toBe(200);
    expect(otherList.body).toMatchObject({ items: [], total: 0 });

    // The key that registered one sees that one only; the help desk sees both, as they were.
    const mineList = await withKey(mine.key, 'GET', '/api/v1/webhooks?pageSize=200');
    expect(mineList.status).toBe(200);
    expect(mineList.body.items.map((w: { id: string }) => w.id)).toEqual([byKey.body.id]);
    expect((await withKey(mine.key, 'GET', `/api/v1/webhooks/${byPerson.body.id}`)).status).toBe(404);
    for (const w of [byKey.body, byPerson.body]) {
      const seen = await apis.helpDesk.get(`/api/v1/webhooks/${w.id}`);
      expect(seen.status).toBe(200);
      expect(seen.body).toMatchObject({ id: w.id, status: 'ACTIVE', secretRotatedAt: null, description: w.description });
      expect(seen.body).not.toHaveProperty('secret');
    }
  });
});
