// The audit log through the gateway: who may read what, the CSV export, and the hash chain that
// `npm run audit:verify` checks, proven by altering a row behind the append-only trigger's back.
import { spawnSync } from 'node:child_process';
import { query, REPO_ROOT } from '@am/devstack';
import { testStack } from '../setup/stack';
import { signIn, type Api } from '../support/api';
import { createOrganization, createUser, grantRole } from '../support/factories';

const db = () => testStack().databaseUrl;

async function getText(api: Api, path: string, accept: string) {
  const res = await fetch(`${testStack().gatewayUrl}${path}`, { headers: { accept, authorization: `Bearer ${(api as unknown as { token: string }).token}` } });
  return { status: res.status, type: res.headers.get('content-type') ?? '', text: await res.text() };
}

function verifyChain() {
  const run = spawnSync('npm', ['run', '--silent', 'audit:verify'], { cwd: REPO_ROOT, env: { ...process.env, DATABASE_URL: db() }, encoding: 'utf8', timeout: 120_000 });
  return { code: run.status, out: `${run.stdout}${run.stderr}` };
}

describe('GET /api/v1/audit', () => {
  it('shows a Security Official their organizations’ events, the help desk everything, and nobody else anything', async () => {
    const [org, other] = await Promise.all([createOrganization(), createOrganization()]);
    const [official, staff, requester, desk, otherOfficial] = await Promise.all([createUser(), createUser(), createUser(), createUser({ platformRole: 'HELP_DESK' }), createUser()]);
    await grantRole(official, org, 'SECURITY_OFFICIAL');
    await grantRole(staff, org, 'STAFF_USER');
    await grantRole(otherOfficial, other, 'SECURITY_OFFICIAL');
    const asRequester = await signIn(requester);
    const submitted = await asRequester.post('/api/v1/role-requests', { organizationId: org.id, role: 'STAFF_USER' });
    const asOfficial = await signIn(official);
    expect((await asOfficial.post(`/api/v1/role-requests/${submitted.body.id}/approve`)).status).toBe(200);
    expect((await asOfficial.request('DELETE', `/api/v1/organizations/${org.id}/users/${staff.id}`)).status).toBe(200);

    const own = await asOfficial.get(`/api/v1/audit?organizationId=${org.id}`);
    expect(own.status).toBe(200);
    expect(own.body.items.map((e: { action: string }) => e.action)).toEqual(['access.removed', 'role-request.approved', 'role-request.submitted']);
    expect(own.body.items[0]).toMatchObject({ actorId: official.id, organizationId: org.id, subjectId: staff.id, hash: expect.stringMatching(/^[0-9a-f]{64}$/) });
    const allMine = await asOfficial.get('/api/v1/audit?pageSize=200');
    expect(allMine.body.items.every((e: { organizationId: string }) => e.organizationId === org.id)).toBe(true);

    const future = await asOfficial.get(`/api/v1/audit?organizationId=${org.id}&from=${encodeURIComponent(new Date(Date.now() + 3_600_000).toISOString())}`);
    expect(future.body).toMatchObject({ total: 0, items: [] });
    const badDate = await asOfficial.get('/api/v1/audit?from=yesterday');
    expect(badDate.status).toBe(400);
    expect(badDate.body.error.field).toBe('from');

    expect((await (await signIn(otherOfficial)).get(`/api/v1/audit?organizationId=${org.id}`)).status).toBe(403);
    expect((await (await signIn(staff)).get('/api/v1/audit')).status).toBe(403);
    const byDesk = await (await signIn(desk)).get(`/api/v1/audit?organizationId=${org.id}`);
    expect(byDesk.body.total).toBe(3);

    // Sign-ins are audited too (they belong to no organization: the help desk reads them).
    const signIns = await query(db(), `SELECT count(*)::int AS n FROM audit_events WHERE action = 'auth.sign-in' AND actor_id = $1`, [official.id]);
    expect(signIns[0].n).toBeGreaterThanOrEqual(1);
  });

  it('exports CSV with format=csv or Accept: text/csv', async () => {
    const org = await createOrganization();
    const [official, staff] = await Promise.all([createUser(), createUser()]);
    await grantRole(official, org, 'SECURITY_OFFICIAL');
    await grantRole(staff, org, 'STAFF_USER');
    const api = await signIn(official);
    await api.request('DELETE', `/api/v1/organizations/${org.id}/users/${staff.id}`, { reason: 'Moved on, "with quotes", and commas' });

    for (const [path, accept] of [
      [`/api/v1/audit?organizationId=${org.id}&format=csv`, '*/*'],
      [`/api/v1/audit?organizationId=${org.id}`, 'text/csv'],
    ]) {
      const res = await getText(api, path, accept);
      expect(res.status).toBe(200);
      expect(res.type).toContain('text/csv');
      const lines = res.text.trim().split('\n');
      expect(lines[0]).toBe('id,occurredAt,action,actorId,organizationId,subjectId,details,prevHash,hash');
      expect(lines).toHaveLength(2);
      expect(lines[1]).toContain(`,access.removed,${official.id},${org.id},${staff.id},`);
      expect(lines[1]).toContain('Moved on, \\""with quotes\\"", and commas'); // JSON inside a quoted CSV field
    }
    const forbidden = await getText(await signIn(staff), `/api/v1/audit?organizationId=${org.id}&format=csv`, '*/*');
    expect(forbidden.status).toBe(403);
  });
});

describe('npm run audit:verify', () => {
  it('verifies the hash chain and names the first altered event', async () => {
    const org = await createOrganization();
    const [official, staff] = await Promise.all([createUser(), createUser()]);
    await grantRole(official, org, 'SECURITY_OFFICIAL');
    await grantRole(staff, org, 'STAFF_USER');
    await (await signIn(official)).request('DELETE', `/api/v1/organizations/${org.id}/users/${staff.id}`);
    const [target] = await query<{ id: string; details: unknown }>(db(), `SELECT id::text, details FROM audit_events WHERE action = 'access.removed' AND organization_id = $1`, [org.id]);

    const intact = verifyChain();
    expect(intact.out).toContain('Audit chain intact');
    expect(intact.code).toBe(0);

    // The append-only trigger refuses the edit; only a superuser session with triggers off gets through.
    await expect(query(db(), `UPDATE audit_events SET details = '{}' WHERE id = $1`, [target.id])).rejects.toThrow('append-only');
    // One session (one multi-statement query): triggers off for it alone, then the edit.
    const asSuperuserWithoutTriggers = (sql: string) => query(db(), `SET session_replication_role = replica; ${sql}`);
    const id = Number(target.id);
    await asSuperuserWithoutTriggers(`UPDATE audit_events SET details = jsonb_set(details, '{role}', '"SECURITY_OFFICIAL"') WHERE id = ${id}`);
    try {
      const broken = verifyChain();
      expect(broken.code).toBe(1);
      expect(broken.out).toContain(`Audit chain BROKEN at event ${target.id}`);
      expect(broken.out).toContain('altered');
    } finally {
      // Put it back, so the run's log verifies again for anyone after us.
      await asSuperuserWithoutTriggers(`UPDATE audit_events SET details = '${JSON.stringify(target.details).replace(/'/g, "''")}'::jsonb WHERE id = ${id}`);
    }
    expect(verifyChain().code).toBe(0);
  });
});
