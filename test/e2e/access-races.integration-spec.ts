// Rule 10 and rule 5's counts under contention: many races at once against PostgreSQL, through the gateway.
import { query } from '@am/devstack';
import { testStack } from '../setup/stack';
import { signIn } from '../support/api';
import { createOrganization, createUser, grantRole } from '../support/factories';

const db = () => testStack().databaseUrl;

describe('races', () => {
  it('two Security Officials removing each other at the same instant never leave the organization without one', async () => {
    const ORGS = 25;
    const pairs = await Promise.all(
      Array.from({ length: ORGS }, async () => {
        const org = await createOrganization();
        const [a, b] = await Promise.all([createUser(), createUser()]);
        await grantRole(a, org, 'SECURITY_OFFICIAL');
        await grantRole(b, org, 'SECURITY_OFFICIAL');
        const [asA, asB] = await Promise.all([signIn(a), signIn(b)]);
        return { org, a, b, asA, asB };
      }),
    );
    // All 2 x 25 removals are in flight together.
    const results = await Promise.all(
      pairs.flatMap(({ org, a, b, asA, asB }) => [
        asA.request('DELETE', `/api/v1/organizations/${org.id}/users/${b.id}`),
        asB.request('DELETE', `/api/v1/organizations/${org.id}/users/${a.id}`),
      ]),
    );
    for (let i = 0; i < ORGS; i++) {
      const statuses = [results[2 * i].status, results[2 * i + 1].status].sort();
      expect(statuses).toEqual([200, 403]);
      const loser = results[2 * i].status === 403 ? results[2 * i] : results[2 * i + 1];
      expect(loser.body.error.code).toBe('FORBIDDEN');
    }
    const orgIds = pairs.map((p) => p.org.id);
    const officials = await query<{ organization_id: string; n: number }>(
      db(),
      `SELECT organization_id::text, count(*)::int AS n FROM role_assignments WHERE organization_id = ANY($1::uuid[]) AND role = 'SECURITY_OFFICIAL' GROUP BY organization_id`,
      [orgIds],
    );
    expect(officials).toHaveLength(ORGS);
    expect(officials.every((r) => r.n === 1)).toBe(true);
    const removals = await query<{ n: number }>(db(), `SELECT count(*)::int AS n FROM audit_events WHERE action = 'access.removed' AND organization_id = ANY($1::uuid[])`, [orgIds]);
    expect(removals).toEqual([{ n: ORGS }]);
  });

  it('concurrent approvals of different requests (and removals beside them) keep every count right', async () => {
    const REQUESTS = 16;
    const org = await createOrganization();
    const [o1, o2, staffA, staffB] = await Promise.all([createUser(), createUser(), createUser(), createUser()]);
    for (const o of [o1, o2]) await grantRole(o, org, 'SECURITY_OFFICIAL');
    for (const s of [staffA, staffB]) await grantRole(s, org, 'STAFF_USER');
    const requesters = await Promise.all(Array.from({ length: REQUESTS }, () => createUser()));
    const requestIds = await Promise.all(
      requesters.map(async (r, i) => {
        const res = await (await signIn(r)).post('/api/v1/role-requests', { organizationId: org.id, role: i % 4 === 0 ? 'SECURITY_OFFICIAL' : 'STAFF_USER' });
        expect(res.status).toBe(201);
        return res.body.id as string;
      }),
    );
    const [as1, as2] = await Promise.all([signIn(o1), signIn(o2)]);
    const before = await as1.get('/api/v1/manage-access');
    expect(before.body.connectedOrganizations.PRACTICE.find((o: { id: string }) => o.id === org.id)).toMatchObject({ connectedUsers: 4, pendingUsers: REQUESTS });

    const outcomes = await Promise.all([
      ...requestIds.map((id, i) => (i % 2 ? as1 : as2).post(`/api/v1/role-requests/${id}/approve`)),
      as1.request('DELETE', `/api/v1/organizations/${org.id}/users/${staffA.id}`),
      as2.request('DELETE', `/api/v1/organizations/${org.id}/users/${staffB.id}`),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(Array(REQUESTS + 2).fill(200));

    const after = await as1.get('/api/v1/manage-access');
    const row = after.body.connectedOrganizations.PRACTICE.find((o: { id: string }) => o.id === org.id);
    expect(row).toMatchObject({ connectedUsers: 2 + REQUESTS, pendingUsers: 0 });
    const [counts] = await query<{ connected: number; officials: number; pending: number }>(
      db(),
      `SELECT (SELECT count(*)::int FROM role_assignments WHERE organization_id = $1) AS connected,
              (SELECT count(*)::int FROM role_assignments WHERE organization_id = $1 AND role = 'SECURITY_OFFICIAL') AS officials,
              (SELECT count(*)::int FROM role_requests WHERE organization_id = $1 AND status = 'PENDING') AS pending`,
      [org.id],
    );
    expect(counts).toEqual({ connected: 2 + REQUESTS, officials: 2 + REQUESTS / 4, pending: 0 });
    const users = await as1.get(`/api/v1/organizations/${org.id}/users?pageSize=200`);
    expect(users.body.connectedUsers.total).toBe(2 + REQUESTS);
    expect(users.body.pendingRequests).toEqual([]);
  });
});
