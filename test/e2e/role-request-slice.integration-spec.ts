// The walking skeleton end to end over HTTP: sign-in with TOTP, submit, approve/deny through the
// Temporal Update, the role granted in PostgreSQL, and the email received by a real SMTP server.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Connection, Client } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { query, REPO_ROOT, totpCode } from '@am/devstack';
import { testStack } from '../setup/stack';
import { anonymous, Api, mailbox, signIn } from '../support/api';
import { createOrganization, createUser, grantRole, TEST_PASSWORD, TEST_TOTP_SECRET } from '../support/factories';

async function fixture() {
  const org = await createOrganization();
  const official = await createUser({ displayName: 'Olivia Official' });
  const requester = await createUser({ displayName: 'Rory Requester' });
  await grantRole(official, org, 'SECURITY_OFFICIAL');
  return { org, official, requester };
}

describe('role request slice', () => {
  it('grants the role on approve and emails the requester', async () => {
    const { org, official, requester } = await fixture();
    const asRequester = await signIn(requester);

    const submitted = await asRequester.post('/api/v1/role-requests', { organizationId: org.id, role: 'STAFF_USER', justification: 'I report for this practice.' });
    expect(submitted.status).toBe(201);
    expect(submitted.body).toMatchObject({
      status: 'PENDING',
      role: 'STAFF_USER',
      workflowId: `role-request-${submitted.body.id}`,
      approvers: ['Olivia Official'],
      organization: { id: org.id, name: org.name },
    });

    const asOfficial = await signIn(official);
    const approved = await asOfficial.post(`/api/v1/role-requests/${submitted.body.id}/approve`);
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ status: 'APPROVED', decidedBy: { id: official.id, displayName: 'Olivia Official' } });

    // Rule 5: when approve answers 200 the role is already granted.
    const me = await asRequester.get('/api/v1/me');
    expect(me.body.roles).toEqual([{ role: 'STAFF_USER', organization: expect.objectContaining({ id: org.id, name: org.name }) }]);
    const rows = await query(testStack().databaseUrl, 'SELECT role FROM role_assignments WHERE user_id = $1 AND organization_id = $2', [requester.id, org.id]);
    expect(rows).toEqual([{ role: 'STAFF_USER' }]);

    const email = await mailbox().waitForMessage((m) => m.to.some((t) => t.address === requester.email) && m.subject.endsWith('was approved'));
    expect(email.subject).toBe(`Your request for the Staff User role at ${org.name} was approved`);
    expect(email.text).toContain(`Olivia Official approved your request for the Staff User role at ${org.name}`);
    expect(email.text).toContain('Have questions? Contact the Quality Payment Program');
    expect(email.html).toContain('<p>Hello Rory Requester,</p>');

    const again = await asOfficial.post(`/api/v1/role-requests/${submitted.body.id}/deny`, { reason: 'changed my mind' });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('ALREADY_DECIDED');
    expect(again.body.error.message).toContain('already approved by Olivia Official');

    const audit = await query(testStack().databaseUrl, 'SELECT action FROM audit_events WHERE subject_id = $1 ORDER BY id', [submitted.body.id]);
    expect(audit.map((a) => a.action)).toEqual(['role-request.submitted', 'role-request.approved']);

    if (process.env.RECORD_HISTORIES) await recordHistory(submitted.body.workflowId, 'submitted-approve');
  });

  it('denies with a reason that the requester is told, and grants nothing', async () => {
    const { org, official, requester } = await fixture();
    const asRequester = await signIn(requester);
    const submitted = await asRequester.post('/api/v1/role-requests', { organizationId: org.id, role: 'SECURITY_OFFICIAL' });
    expect(submitted.status).toBe(201);

    const denied = await (await signIn(official)).post(`/api/v1/role-requests/${submitted.body.id}/deny`, { reason: 'We only add officials in person.' });
    expect(denied.status).toBe(200);
    expect(denied.body).toMatchObject({ status: 'DENIED', reason: 'We only add officials in person.' });

    const rows = await query(testStack().databaseUrl, 'SELECT 1 FROM role_assignments WHERE user_id = $1', [requester.id]);
    expect(rows).toHaveLength(0);
    const email = await mailbox().waitForMessage((m) => m.to.some((t) => t.address === requester.email) && m.subject.endsWith('was denied'));
    expect(email.subject).toBe(`Your request for the Security Official role at ${org.name} was denied`);
    expect(email.text).toContain('Reason given: We only add officials in person.');

    if (process.env.RECORD_HISTORIES) await recordHistory(submitted.body.workflowId, 'submitted-deny');
  });

  it('lets only the organization’s Security Officials decide, with a reason for every refusal', async () => {
    const { org, requester } = await fixture();
    const staff = await createUser();
    await grantRole(staff, org, 'STAFF_USER');
    const otherOrg = await createOrganization();
    const otherOfficial = await createUser();
    await grantRole(otherOfficial, otherOrg, 'SECURITY_OFFICIAL');

    const asRequester = await signIn(requester);
    const submitted = await asRequester.post('/api/v1/role-requests', { organizationId: org.id, role: 'STAFF_USER' });
    const path = `/api/v1/role-requests/${submitted.body.id}/approve`;

    for (const caller of [staff, otherOfficial]) {
      const res = await (await signIn(caller)).post(path);
      expect(res.status).toBe(403);
      expect(res.body.error).toMatchObject({ code: 'FORBIDDEN', message: `Only a Security Official of ${org.name} can decide this request` });
    }
    const own = await asRequester.post(path);
    expect(own.status).toBe(403);
    expect(own.body.error.message).toBe('Nobody can decide their own request');

    const view = await asRequester.get(`/api/v1/role-requests/${submitted.body.id}`);
    expect(view.body.status).toBe('PENDING');
    expect((await (await signIn(otherOfficial)).get(`/api/v1/role-requests/${submitted.body.id}`)).status).toBe(403);
  });

  it('refuses a second pending request at the same organization, naming the first', async () => {
    const { org, requester } = await fixture();
    const asRequester = await signIn(requester);
    const first = await asRequester.post('/api/v1/role-requests', { organizationId: org.id, role: 'STAFF_USER' });
    const second = await asRequester.post('/api/v1/role-requests', { organizationId: org.id, role: 'SECURITY_OFFICIAL' });
    expect(second.status).toBe(409);
    expect(second.body.error).toMatchObject({ code: 'DUPLICATE_PENDING_REQUEST', field: 'organizationId', details: { pendingRequestId: first.body.id } });
  });

  it('refuses requests at a Shared Savings Program ACO with the pointer to ACO-MS', async () => {
    const aco = await createOrganization({ kind: 'APM_ENTITY', name: 'Test SSP ACO', sharedSavingsAco: true });
    const requester = await createUser();
    const res = await (await signIn(requester)).post('/api/v1/role-requests', { organizationId: aco.id, role: 'STAFF_USER' });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('MANAGED_IN_ACO_MS');
    expect(res.body.error.message).toContain('ACO-MS');
  });
});

describe('sign-in', () => {
  it('gives the same answer for an unknown user id and a wrong password', async () => {
    const user = await createUser();
    const wrongPassword = await anonymous.post('/api/v1/auth/sign-in', { userId: user.loginId, password: 'not-it', acceptStatementOfTruth: true });
    const unknownUser = await anonymous.post('/api/v1/auth/sign-in', { userId: 'nobody.here', password: TEST_PASSWORD, acceptStatementOfTruth: true });
    expect(wrongPassword.status).toBe(401);
    expect(unknownUser.status).toBe(401);
    expect(unknownUser.body).toEqual(wrongPassword.body);
  });

  it('requires the Statement of Truth, naming the field', async () => {
    const user = await createUser();
    const res = await anonymous.post('/api/v1/auth/sign-in', { userId: user.loginId, password: TEST_PASSWORD, acceptStatementOfTruth: false });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'VALIDATION_FAILED', field: 'acceptStatementOfTruth' });
  });

  it('refuses a wrong security code and a tampered token', async () => {
    const user = await createUser();
    const first = await anonymous.post('/api/v1/auth/sign-in', { userId: user.loginId, password: TEST_PASSWORD, acceptStatementOfTruth: true });
    const notTheCode = String((Number(totpCode(TEST_TOTP_SECRET)) + 500_000) % 1_000_000).padStart(6, '0');
    const wrong = await anonymous.post('/api/v1/auth/mfa', { mfaToken: first.body.mfaToken, code: notTheCode });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error).toMatchObject({ code: 'UNAUTHENTICATED', field: 'code' });

    expect((await anonymous.get('/api/v1/me')).status).toBe(401);
    // The mfaToken is not a session token, and a token signed with another key is refused.
    expect((await new Api(first.body.mfaToken).get('/api/v1/me')).status).toBe(401);
    const [header, payload] = first.body.mfaToken.split('.');
    const forged = await new Api(`${header}.${payload}.c2lnbmF0dXJlLW9mLWFub3RoZXIta2V5`).get('/api/v1/me');
    expect(forged.status).toBe(401);
    expect(forged.body.error.code).toBe('UNAUTHENTICATED');
  });

  it('rejects malformed bodies with the field and the rule', async () => {
    const requester = await createUser();
    const api = await signIn(requester);
    const badRole = await api.post('/api/v1/role-requests', { organizationId: '8f8e6c1e-1f7a-4d55-9f3b-0d7e6a0e8a11', role: 'KING' });
    expect(badRole.status).toBe(400);
    expect(badRole.body.error).toMatchObject({ field: 'role', message: 'role must be one of SECURITY_OFFICIAL, STAFF_USER' });
    const unknownField = await api.post('/api/v1/role-requests', { organizationId: '8f8e6c1e-1f7a-4d55-9f3b-0d7e6a0e8a11', role: 'STAFF_USER', admin: true });
    expect(unknownField.status).toBe(400);
    expect(unknownField.body.error.field).toBe('admin');
    const badId = await api.post('/api/v1/role-requests/not-a-uuid/approve');
    expect(badId.status).toBe(400);
    expect(badId.body.error.field).toBe('id');
  });
});

async function recordHistory(workflowId: string, name: string): Promise<void> {
  const { temporalAddress, temporalNamespace } = testStack();
  const connection = await Connection.connect({ address: temporalAddress });
  try {
    const handle = new Client({ connection, namespace: temporalNamespace }).workflow.getHandle(workflowId);
    await handle.result();
    const history = await handle.fetchHistory();
    writeFileSync(join(REPO_ROOT, 'services/access-workflows/test/histories', `${name}.json`), historyToJSON(history));
  } finally {
    await connection.close();
  }
}
