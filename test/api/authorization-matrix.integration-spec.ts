// Issue 6: every endpoint against every kind of caller. Each cell states whether the caller may
// pass authorization; a denied cell must answer 401/403 (404 where existence is hidden), and an
// allowed cell must not. Any unexpected allow fails the test, and names the cell.
import { randomUUID } from 'node:crypto';
import { API_KEY_SCOPES, type ApiKeyScope } from '@am/contracts';
import { testStack } from '../setup/stack';
import { signIn, type Api } from '../support/api';
import { createOrganization, createUser, grantRole, type TestOrganization, type TestUser } from '../support/factories';

type Caller = 'anonymous' | 'requester' | 'staffUser' | 'officialHere' | 'officialElsewhere' | 'helpDesk' | 'keyWithScope' | 'keyWithoutScope';
const CALLERS: Caller[] = ['anonymous', 'requester', 'staffUser', 'officialHere', 'officialElsewhere', 'helpDesk', 'keyWithScope', 'keyWithoutScope'];
const PEOPLE: Caller[] = ['requester', 'staffUser', 'officialHere', 'officialElsewhere', 'helpDesk'];

interface Fixture {
  org: TestOrganization;
  target: TestUser;
  requestId?: string;
  apiKeyId?: string;
  nominationId?: string;
  reviewId?: string;
  /** The path of the official here's personal calendar feed (issue 19). */
  feedPath?: string;
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
};

const users = {} as Record<Exclude<Caller, 'anonymous' | 'keyWithScope' | 'keyWithoutScope'>, TestUser>;
const apis = {} as Record<string, Api>;
/** keys[scope] holds every scope but that one; keys.all holds them all. */
const keys = {} as Record<ApiKeyScope | 'all', string>;

beforeAll(async () => {
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
      else if (!allowed && !denied) unexpected.push(`${caller}: ${status}, expected ${caller === 'anonymous' ? 401 : '403'}`);
    }
    expect(unexpected).toEqual([]);
  });
});
