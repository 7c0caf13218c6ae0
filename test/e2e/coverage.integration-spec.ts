// Issue 18, part 1: approver coverage through the gateway against the real directory and
// PostgreSQL. NONE, SINGLE and COVERED as roles are granted, removed and go inactive; the help
// desk's list of organizations at risk with their waiting requests.
import { query } from '@am/devstack';
import { testStack } from '../setup/stack';
import { signIn, signInFresh, type Api } from '../support/api';
import { createOrganization, createUser, grantRole, type TestOrganization, type TestUser } from '../support/factories';

const db = () => testStack().databaseUrl;
const DAY = 86_400_000;

interface Coverage {
  state: 'NONE' | 'SINGLE' | 'COVERED';
  securityOfficials: number;
  activeSecurityOfficials: number;
}
interface CoverageEntry {
  organization: { id: string; name: string };
  coverage: Coverage;
  pendingRequests: number;
  oldestPendingAt: string | null;
  oldestPendingAgeSeconds: number | null;
}

/** The organization's coverage as its page of users shows it to `api`. */
async function coverageOf(api: Api, org: TestOrganization): Promise<Coverage> {
  const res = await api.get(`/api/v1/organizations/${org.id}`);
  expect(res.status).toBe(200);
  return res.body.coverage;
}

/** Makes a user's last sign-in (and account) `days` old: no longer active after 180. */
async function lastSignedIn(user: TestUser, daysAgo: number): Promise<void> {
  const at = new Date(Date.now() - daysAgo * DAY);
  await query(db(), 'UPDATE users SET last_signed_in_at = $2, created_at = LEAST(created_at, $2) WHERE id = $1::uuid', [user.id, at]);
}

/** The help desk's entry for one organization, read through every page of the list. */
async function entryOf(helpDesk: Api, org: TestOrganization, state?: string): Promise<CoverageEntry | undefined> {
  for (let page = 1; ; page++) {
    const res = await helpDesk.get(`/api/v1/coverage?pageSize=100&page=${page}${state ? `&state=${state}` : ''}`);
    expect(res.status).toBe(200);
    const found = (res.body.items as CoverageEntry[]).find((e) => e.organization.id === org.id);
    if (found || page * 100 >= res.body.total) return found;
  }
}

describe('approver coverage (issue 18)', () => {
  let helpDesk: Api;
  beforeAll(async () => {
    helpDesk = await signIn(await createUser({ platformRole: 'HELP_DESK' }));
  });

  it('moves NONE -> SINGLE -> COVERED as officials are granted, back to SINGLE when one goes inactive or is removed, and COVERED again on sign-in', async () => {
    const org = await createOrganization({ name: `Coverage Clinic ${Math.random().toString(36).slice(2, 8)}` });
    const [first, second, staff] = await Promise.all([createUser({ displayName: 'First Official' }), createUser({ displayName: 'Second Official' }), createUser()]);
    await grantRole(staff, org, 'STAFF_USER');
    expect(await coverageOf(helpDesk, org)).toEqual({ state: 'NONE', securityOfficials: 0, activeSecurityOfficials: 0 });

    await grantRole(first, org, 'SECURITY_OFFICIAL');
    const asFirst = await signIn(first);
    expect(await coverageOf(asFirst, org)).toEqual({ state: 'SINGLE', securityOfficials: 1, activeSecurityOfficials: 1 });
    // Manage Access and the users' page carry it too.
    const manage = await asFirst.get('/api/v1/manage-access');
    const connected = Object.values(manage.body.connectedOrganizations as Record<string, { id: string; coverage: Coverage }[]>).flat();
    expect(connected.find((o) => o.id === org.id)?.coverage).toEqual({ state: 'SINGLE', securityOfficials: 1, activeSecurityOfficials: 1 });
    expect((await asFirst.get(`/api/v1/organizations/${org.id}/users`)).body.organization.coverage).toMatchObject({ state: 'SINGLE' });

    // A second official through a request approved by the first.
    const asSecond = await signIn(second);
    const requested = await asSecond.post('/api/v1/role-requests', { organizationId: org.id, role: 'SECURITY_OFFICIAL' });
    expect(requested.status).toBe(201);
    expect((await asFirst.post(`/api/v1/role-requests/${requested.body.id}/approve`, {})).status).toBe(200);
    expect(await coverageOf(asFirst, org)).toEqual({ state: 'COVERED', securityOfficials: 2, activeSecurityOfficials: 2 });

    // Half a year without signing in: still an official, no longer active.
    await lastSignedIn(second, 181);
    expect(await coverageOf(asFirst, org)).toEqual({ state: 'SINGLE', securityOfficials: 2, activeSecurityOfficials: 1 });
    // Signing in again makes them active (the code of this 30-second step was spent by their first sign-in: let it be used again).
    await query(db(), 'UPDATE users SET last_totp_step = NULL WHERE id = $1::uuid', [second.id]);
    await signInFresh(second);
    expect(await coverageOf(asFirst, org)).toEqual({ state: 'COVERED', securityOfficials: 2, activeSecurityOfficials: 2 });

    // The first removes the second: SINGLE; a disabled account is not active either.
    expect((await asFirst.request('DELETE', `/api/v1/organizations/${org.id}/users/${second.id}`)).status).toBe(200);
    expect(await coverageOf(asFirst, org)).toEqual({ state: 'SINGLE', securityOfficials: 1, activeSecurityOfficials: 1 });
    await query(db(), 'UPDATE users SET disabled_at = now() WHERE id = $1::uuid', [first.id]);
    expect(await coverageOf(helpDesk, org)).toEqual({ state: 'SINGLE', securityOfficials: 1, activeSecurityOfficials: 0 });
  });

  it('lists the organizations at risk for the help desk, riskiest first, with their waiting requests and the age of the oldest', async () => {
    const tag = Math.random().toString(36).slice(2, 8);
    const [none, single, covered] = await Promise.all([
      createOrganization({ name: `Nobody Decides ${tag}` }),
      createOrganization({ name: `One Person ${tag}` }),
      createOrganization({ name: `Two People ${tag}` }),
    ]);
    const [a, b, c, asker1, asker2] = await Promise.all([createUser(), createUser(), createUser(), createUser(), createUser()]);
    await Promise.all([grantRole(a, single, 'SECURITY_OFFICIAL'), grantRole(b, covered, 'SECURITY_OFFICIAL'), grantRole(c, covered, 'SECURITY_OFFICIAL')]);
    const [ask1, ask2] = await Promise.all([signIn(asker1), signIn(asker2)]);
    for (const api of [ask1, ask2]) expect((await api.post('/api/v1/role-requests', { organizationId: none.id, role: 'STAFF_USER' })).status).toBe(201);
    expect((await ask1.post('/api/v1/role-requests', { organizationId: single.id, role: 'STAFF_USER' })).status).toBe(201);
    // The oldest request at the orphan waited a day.
    await query(db(), `UPDATE role_requests SET created_at = now() - interval '1 day' WHERE organization_id = $1::uuid AND requester_id = $2::uuid`, [none.id, asker1.id]);

    const noneEntry = await entryOf(helpDesk, none);
    expect(noneEntry).toMatchObject({ coverage: { state: 'NONE', securityOfficials: 0 }, pendingRequests: 2 });
    expect(noneEntry!.oldestPendingAgeSeconds).toBeGreaterThanOrEqual(86_400);
    expect(noneEntry!.oldestPendingAgeSeconds).toBeLessThan(86_400 + 600);
    expect(Date.parse(noneEntry!.oldestPendingAt!)).toBeLessThanOrEqual(Date.now() - DAY);
    expect(await entryOf(helpDesk, single)).toMatchObject({ coverage: { state: 'SINGLE', securityOfficials: 1, activeSecurityOfficials: 1 }, pendingRequests: 1 });
    // COVERED is not at risk: listed only when asked for.
    expect(await entryOf(helpDesk, covered)).toBeUndefined();
    expect(await entryOf(helpDesk, covered, 'COVERED')).toMatchObject({ coverage: { state: 'COVERED', securityOfficials: 2 }, pendingRequests: 0, oldestPendingAt: null, oldestPendingAgeSeconds: null });
    expect(await entryOf(helpDesk, single, 'NONE')).toBeUndefined();

    // Riskiest first: every NONE before every SINGLE.
    const first = await helpDesk.get('/api/v1/coverage?pageSize=100');
    const states = (first.body.items as CoverageEntry[]).map((e) => e.coverage.state);
    expect(states.indexOf('SINGLE') === -1 || states.lastIndexOf('NONE') < states.indexOf('SINGLE')).toBe(true);
  });

  it('is the help desk’s alone, and refuses a state it does not know, naming the field', async () => {
    const official = await createUser();
    await grantRole(official, await createOrganization(), 'SECURITY_OFFICIAL');
    const refused = await (await signIn(official)).get('/api/v1/coverage');
    expect(refused.status).toBe(403);
    expect(refused.body.error).toMatchObject({ code: 'FORBIDDEN', message: 'Only the help desk can list the coverage of every organization' });
    const bad = await helpDesk.get('/api/v1/coverage?state=RISKY');
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ code: 'VALIDATION_FAILED', field: 'state', message: 'state must be one of NONE, SINGLE, COVERED' });
  });
});
