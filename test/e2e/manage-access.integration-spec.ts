// PRODUCT.md rules 1, 3, 4, 6, 9 and 10 and the Manage Access page, through the gateway against the
// real directory and PostgreSQL (role-request-slice covers the request basics).
import { query } from '@am/devstack';
import { accessRemovalWorkflowId } from '@am/workflow-contracts';
import { testStack } from '../setup/stack';
import { mailbox, signIn } from '../support/api';
import { createOrganization, createUser, grantRole } from '../support/factories';
import { temporalClient } from '../support/temporal';

const db = () => testStack().databaseUrl;

async function submit(api: Awaited<ReturnType<typeof signIn>>, organizationId: string, role: 'STAFF_USER' | 'SECURITY_OFFICIAL') {
  const res = await api.post('/api/v1/role-requests', { organizationId, role });
  expect(res.status).toBe(201);
  return res.body as { id: string; approvers: string[] };
}

describe('GET /api/v1/manage-access', () => {
  it('shows requests awaiting my decision, my own requests with their approvers, and my organizations by kind with counts', async () => {
    const tag = Math.random().toString(36).slice(2, 8);
    const practice = await createOrganization({ kind: 'PRACTICE', name: `Maple Practice ${tag}` });
    const registry = await createOrganization({ kind: 'REGISTRY', name: `Oak Registry ${tag}` });
    const elsewhere = await createOrganization({ name: `Birch Clinic ${tag}` });
    const orphan = await createOrganization({ name: `Orphan Practice ${tag}` });
    const [me, coOfficial, staff, asker1, asker2, elsewhereOfficial] = await Promise.all([
      createUser({ displayName: 'Mia Manager' }),
      createUser({ displayName: 'Carl Colleague' }),
      createUser(),
      createUser({ displayName: 'Ann Asker' }),
      createUser({ displayName: 'Bob Asker' }),
      createUser({ displayName: 'Eve Elsewhere' }),
    ]);
    await grantRole(me, practice, 'SECURITY_OFFICIAL');
    await grantRole(coOfficial, practice, 'SECURITY_OFFICIAL');
    await grantRole(staff, practice, 'STAFF_USER');
    await grantRole(me, registry, 'STAFF_USER');
    await grantRole(elsewhereOfficial, elsewhere, 'SECURITY_OFFICIAL');

    const r1 = await submit(await signIn(asker1), practice.id, 'STAFF_USER');
    const r2 = await submit(await signIn(asker2), practice.id, 'SECURITY_OFFICIAL');
    await submit(await signIn(asker2), registry.id, 'STAFF_USER'); // I am only Staff User there: not mine to decide
    const asMe = await signIn(me);
    const mine1 = await submit(asMe, elsewhere.id, 'STAFF_USER');
    const mine2 = await submit(asMe, orphan.id, 'STAFF_USER');
    expect(mine1.approvers).toEqual(['Eve Elsewhere']);
    expect(mine2.approvers).toEqual(['the Quality Payment Program']);

    const res = await asMe.get('/api/v1/manage-access');
    expect(res.status).toBe(200);
    const page = res.body;
    expect(page.pendingRequests.total).toBe(2);
    expect(page.pendingRequests.items.map((r: { requestId: string }) => r.requestId)).toEqual([r1.id, r2.id]);
    expect(page.pendingRequests.items[1]).toMatchObject({
      role: 'SECURITY_OFFICIAL',
      requester: { id: asker2.id, displayName: 'Bob Asker', email: asker2.email },
      organization: { id: practice.id, kind: 'PRACTICE', name: practice.name, identifier: practice.identifier },
    });
    expect(page.myRequests).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ requestId: mine1.id, approvers: ['Eve Elsewhere'], organization: expect.objectContaining({ id: elsewhere.id }) }),
        expect.objectContaining({ requestId: mine2.id, approvers: ['the Quality Payment Program'] }),
      ]),
    );
    expect(page.myRequests).toHaveLength(2);
    expect(Object.keys(page.connectedOrganizations).sort()).toEqual(['APM_ENTITY', 'PRACTICE', 'REGISTRY', 'VIRTUAL_GROUP']);
    expect(page.connectedOrganizations.APM_ENTITY).toEqual([]);
    expect(page.connectedOrganizations.PRACTICE).toEqual([
      expect.objectContaining({
        id: practice.id,
        identifier: practice.identifier,
        address: '1 Test St., Testville, OH 01234',
        myRole: 'SECURITY_OFFICIAL',
        connectedUsers: 3,
        pendingUsers: 2,
        registration: expect.objectContaining({ cmsWebInterface: false, cahpsSurvey: false, editable: expect.any(Boolean) }),
      }),
    ]);
    expect(page.connectedOrganizations.REGISTRY).toEqual([
      expect.objectContaining({ id: registry.id, myRole: 'STAFF_USER', connectedUsers: 1, pendingUsers: 1, registration: null }),
    ]);

    // ?name= narrows everything on the page to organizations whose name matches.
    const byName = await asMe.get(`/api/v1/manage-access?name=${encodeURIComponent(`oak registry ${tag}`)}`);
    expect(byName.body.connectedOrganizations.PRACTICE).toEqual([]);
    expect(byName.body.connectedOrganizations.REGISTRY).toHaveLength(1);
    expect(byName.body.pendingRequests.total).toBe(0);
    expect(byName.body.myRequests).toEqual([]);

    const paged = await asMe.get('/api/v1/manage-access?page=2&pageSize=1');
    expect(paged.body.pendingRequests).toMatchObject({ page: 2, pageSize: 1, total: 2, items: [expect.objectContaining({ requestId: r2.id })] });

    const tooBig = await asMe.get('/api/v1/manage-access?pageSize=1000');
    expect(tooBig.status).toBe(400);
    expect(tooBig.body.error).toMatchObject({ code: 'VALIDATION_FAILED', field: 'pageSize', message: 'pageSize must be at most 200' });
    const unknown = await asMe.get('/api/v1/manage-access?color=red');
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.field).toBe('color');
  });

  it('lets the help desk decide where there is no Security Official, and only there (rule 3)', async () => {
    const orphan = await createOrganization({ name: 'Orphan Family Practice (test)' });
    const staffed = await createOrganization();
    const [desk, requester, official, otherOfficial] = await Promise.all([createUser({ platformRole: 'HELP_DESK' }), createUser(), createUser(), createUser()]);
    await grantRole(official, staffed, 'SECURITY_OFFICIAL');
    await grantRole(otherOfficial, await createOrganization(), 'SECURITY_OFFICIAL');
    const asRequester = await signIn(requester);
    const atOrphan = await submit(asRequester, orphan.id, 'SECURITY_OFFICIAL');
    const atStaffed = await submit(asRequester, staffed.id, 'STAFF_USER');
    expect(atOrphan.approvers).toEqual(['the Quality Payment Program']);

    const asDesk = await signIn(desk);
    const deskPage = await asDesk.get(`/api/v1/manage-access?name=${encodeURIComponent('Orphan Family Practice (test)')}&pageSize=200`);
    expect(deskPage.body.pendingRequests.items.map((r: { requestId: string }) => r.requestId)).toContain(atOrphan.id);

    const notOfficial = await (await signIn(otherOfficial)).post(`/api/v1/role-requests/${atOrphan.id}/approve`);
    expect(notOfficial.status).toBe(403);
    expect(notOfficial.body.error.message).toContain('the help desk decides this request');
    const deskAtStaffed = await asDesk.post(`/api/v1/role-requests/${atStaffed.id}/approve`);
    expect(deskAtStaffed.status).toBe(403);

    const approved = await asDesk.post(`/api/v1/role-requests/${atOrphan.id}/approve`);
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ status: 'APPROVED', decidedBy: { id: desk.id } });
    expect(await query(db(), 'SELECT role FROM role_assignments WHERE user_id = $1 AND organization_id = $2', [requester.id, orphan.id])).toEqual([
      { role: 'SECURITY_OFFICIAL' },
    ]);
  });
});

describe('rule 1 through the gateway', () => {
  it('replaces Staff User with Security Official when the upgrade is approved, and refuses a role already held', async () => {
    const org = await createOrganization();
    const [official, staff] = await Promise.all([createUser(), createUser()]);
    await grantRole(official, org, 'SECURITY_OFFICIAL');
    await grantRole(staff, org, 'STAFF_USER');
    const asStaff = await signIn(staff);

    const again = await asStaff.post('/api/v1/role-requests', { organizationId: org.id, role: 'STAFF_USER' });
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({ code: 'ROLE_ALREADY_HELD', field: 'role' });

    const upgrade = await submit(asStaff, org.id, 'SECURITY_OFFICIAL');
    expect((await (await signIn(official)).post(`/api/v1/role-requests/${upgrade.id}/approve`)).status).toBe(200);
    const me = await asStaff.get('/api/v1/me');
    expect(me.body.roles).toEqual([{ role: 'SECURITY_OFFICIAL', organization: expect.objectContaining({ id: org.id }) }]);
    expect(await query(db(), 'SELECT role FROM role_assignments WHERE user_id = $1', [staff.id])).toEqual([{ role: 'SECURITY_OFFICIAL' }]);

    const held = await asStaff.post('/api/v1/role-requests', { organizationId: org.id, role: 'SECURITY_OFFICIAL' });
    expect(held.status).toBe(409);
    expect(held.body.error.code).toBe('ROLE_ALREADY_HELD');
  });
});

describe('DELETE /api/v1/organizations/{orgId}/users/{userId} (rules 9-10)', () => {
  async function practiceWith(officials: number) {
    const org = await createOrganization();
    const people = await Promise.all(Array.from({ length: officials }, () => createUser()));
    for (const p of people) await grantRole(p, org, 'SECURITY_OFFICIAL');
    return { org, officials: people };
  }

  it('removes a connected user through a removal workflow, audited and emailed, and the user holds no role there afterwards', async () => {
    const { org, officials } = await practiceWith(1);
    const staff = await createUser();
    await grantRole(staff, org, 'STAFF_USER');
    const res = await (await signIn(officials[0])).request('DELETE', `/api/v1/organizations/${org.id}/users/${staff.id}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ organization: { id: org.id }, user: { id: staff.id }, role: 'STAFF_USER', removedBy: { id: officials[0].id }, reason: null });
    // The removal is a workflow named by the removal's id (a UUID): the role is gone when DELETE answers.
    expect(res.body.removalId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect((await (await signIn(staff)).get('/api/v1/me')).body.roles).toEqual([]);
    const email = await mailbox().waitForMessage((m) => m.to.some((t) => t.address === staff.email) && m.subject === `Your access to ${org.name} was removed`);
    expect(email.text).toContain(`${officials[0].displayName} removed your Staff User role at ${org.name}`);
    const { client, close } = await temporalClient();
    try {
      const handle = client.workflow.getHandle(accessRemovalWorkflowId(res.body.removalId));
      const result = await handle.result();
      expect(result).toMatchObject({ status: 'REMOVED', removedUserNotified: true, record: { user: { id: staff.id } } });
      const described = await handle.describe();
      expect(described.type).toBe('accessRemovalWorkflow');
      expect(await described.memo).toMatchObject({ organization: org.name, removedBy: officials[0].displayName });
    } finally {
      await close();
    }
    const audit = await query(db(), `SELECT actor_id, details->>'role' AS role FROM audit_events WHERE action = 'access.removed' AND subject_id = $1`, [staff.id]);
    expect(audit).toEqual([{ actor_id: officials[0].id, role: 'STAFF_USER' }]);

    const twice = await (await signIn(officials[0])).request('DELETE', `/api/v1/organizations/${org.id}/users/${staff.id}`);
    expect(twice.status).toBe(404);
    expect(twice.body.error.field).toBe('userId');
  });

  it('refuses self-removal, Staff Users and officials of other organizations, each with a reason', async () => {
    const { org, officials } = await practiceWith(2);
    const [staff, outsider] = await Promise.all([createUser(), createUser()]);
    await grantRole(staff, org, 'STAFF_USER');
    await grantRole(outsider, await createOrganization(), 'SECURITY_OFFICIAL');
    const path = (u: { id: string }) => `/api/v1/organizations/${org.id}/users/${u.id}`;

    const self = await (await signIn(officials[0])).request('DELETE', path(officials[0]));
    expect(self.status).toBe(403);
    expect(self.body.error).toMatchObject({ code: 'FORBIDDEN', message: expect.stringContaining('ask another Security Official') });
    const byStaff = await (await signIn(staff)).request('DELETE', path(officials[1]));
    expect(byStaff.status).toBe(403);
    expect(byStaff.body.error.message).toContain(`Only a Security Official of ${org.name}`);
    const byOutsider = await (await signIn(outsider)).request('DELETE', path(staff));
    expect(byOutsider.status).toBe(403);
    const rows = await query(db(), 'SELECT count(*)::int AS n FROM role_assignments WHERE organization_id = $1', [org.id]);
    expect(rows).toEqual([{ n: 3 }]);

    const badId = await (await signIn(officials[0])).request('DELETE', `/api/v1/organizations/${org.id}/users/not-a-uuid`);
    expect(badId.status).toBe(400);
    expect(badId.body.error).toMatchObject({ code: 'VALIDATION_FAILED', field: 'userId' });
  });

  it('lets only the help desk remove the only Security Official, and only with a recorded reason', async () => {
    const { org, officials } = await practiceWith(1);
    const desk = await createUser({ platformRole: 'HELP_DESK' });
    const asDesk = await signIn(desk);
    const path = `/api/v1/organizations/${org.id}/users/${officials[0].id}`;

    const noReason = await asDesk.request('DELETE', path);
    expect(noReason.status).toBe(400);
    expect(noReason.body.error).toMatchObject({ code: 'VALIDATION_FAILED', field: 'reason' });
    expect(await query(db(), 'SELECT role FROM role_assignments WHERE organization_id = $1', [org.id])).toEqual([{ role: 'SECURITY_OFFICIAL' }]);

    const removed = await asDesk.request('DELETE', `${path}?reason=${encodeURIComponent('Left the practice; confirmed by phone')}`);
    expect(removed.status).toBe(200);
    expect(removed.body.reason).toBe('Left the practice; confirmed by phone');
    const audit = await query(db(), `SELECT details->>'reason' AS reason, details->>'lastSecurityOfficial' AS last FROM audit_events WHERE action = 'access.removed' AND organization_id = $1`, [org.id]);
    expect(audit).toEqual([{ reason: 'Left the practice; confirmed by phone', last: 'true' }]);

    // The reason may come as a JSON body too; an unknown body field is refused by name.
    const second = await practiceWith(1);
    const secondPath = `/api/v1/organizations/${second.org.id}/users/${second.officials[0].id}`;
    const unknownField = await asDesk.request('DELETE', secondPath, { why: 'x' });
    expect(unknownField.status).toBe(400);
    expect(unknownField.body.error.field).toBe('why');
    const viaBody = await asDesk.request('DELETE', secondPath, { reason: 'Retired' });
    expect(viaBody.status).toBe(200);
    expect(viaBody.body).toMatchObject({ reason: 'Retired', role: 'SECURITY_OFFICIAL', removedBy: { id: desk.id } });
  });

  it('refuses removals at a Shared Savings Program ACO with the pointer to ACO-MS', async () => {
    const aco = await createOrganization({ kind: 'APM_ENTITY', sharedSavingsAco: true });
    const [official, staff] = await Promise.all([createUser(), createUser()]);
    await grantRole(official, aco, 'SECURITY_OFFICIAL');
    await grantRole(staff, aco, 'STAFF_USER');
    const res = await (await signIn(official)).request('DELETE', `/api/v1/organizations/${aco.id}/users/${staff.id}`);
    expect(res.status).toBe(422);
    expect(res.body.error).toMatchObject({ code: 'MANAGED_IN_ACO_MS', message: expect.stringContaining('ACO-MS') });
  });
});

describe('organizations', () => {
  it('finds organizations by part of the name or the start of the identifier, by kind, a page at a time', async () => {
    const tag = Math.random().toString(36).slice(2, 10);
    const a = await createOrganization({ name: `Zephyr ${tag} Pediatrics` });
    const b = await createOrganization({ kind: 'VIRTUAL_GROUP', name: `Zephyr ${tag} Group` });
    const asUser = await signIn(await createUser());

    const byName = await asUser.get(`/api/v1/organizations?q=${tag.toUpperCase()}`);
    expect(byName.status).toBe(200);
    expect(byName.body).toMatchObject({ total: 2, page: 1, pageSize: 50 });
    expect(byName.body.items.map((o: { id: string }) => o.id)).toEqual([b.id, a.id]);
    expect(byName.body.items[1]).toMatchObject({ kind: 'PRACTICE', registration: expect.objectContaining({ editable: false }) });
    expect(byName.body.items[0].registration).toBeNull();

    const byKind = await asUser.get(`/api/v1/organizations?q=${tag}&type=PRACTICE`);
    expect(byKind.body.items.map((o: { id: string }) => o.id)).toEqual([a.id]);
    const byIdentifier = await asUser.get(`/api/v1/organizations?q=${a.identifier}`);
    expect(byIdentifier.body.items.map((o: { id: string }) => o.id)).toContain(a.id);
    const paged = await asUser.get(`/api/v1/organizations?q=${tag}&pageSize=1&page=2`);
    expect(paged.body).toMatchObject({ total: 2, items: [expect.objectContaining({ id: a.id })] });

    const badType = await asUser.get('/api/v1/organizations?type=HOSPITAL');
    expect(badType.status).toBe(400);
    expect(badType.body.error).toMatchObject({ field: 'type', message: expect.stringContaining('PRACTICE') });

    const one = await asUser.get(`/api/v1/organizations/${a.id}`);
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({ id: a.id, name: a.name, identifier: a.identifier, address: expect.any(String), sharedSavingsAco: false });
    expect((await asUser.get('/api/v1/organizations/00000000-0000-4000-8000-000000000000')).status).toBe(404);
  });

  it('shows pending requests and connected users to its Security Officials and the help desk only', async () => {
    const org = await createOrganization();
    const [official, staff, requester, desk] = await Promise.all([createUser({ displayName: 'Sam Official' }), createUser({ displayName: 'Tina Staff' }), createUser(), createUser({ platformRole: 'HELP_DESK' })]);
    await grantRole(official, org, 'SECURITY_OFFICIAL');
    await grantRole(staff, org, 'STAFF_USER');
    const pending = await submit(await signIn(requester), org.id, 'STAFF_USER');

    const res = await (await signIn(official)).get(`/api/v1/organizations/${org.id}/users`);
    expect(res.status).toBe(200);
    expect(res.body.pendingRequests).toEqual([expect.objectContaining({ requestId: pending.id, requester: expect.objectContaining({ id: requester.id }) })]);
    expect(res.body.connectedUsers).toMatchObject({
      total: 2,
      items: [
        { user: { id: official.id, displayName: 'Sam Official' }, role: 'SECURITY_OFFICIAL' },
        { user: { id: staff.id, displayName: 'Tina Staff' }, role: 'STAFF_USER' },
      ],
    });
    expect((await (await signIn(desk)).get(`/api/v1/organizations/${org.id}/users?pageSize=1`)).body.connectedUsers.items).toHaveLength(1);
    const byStaff = await (await signIn(staff)).get(`/api/v1/organizations/${org.id}/users`);
    expect(byStaff.status).toBe(403);
  });
});
