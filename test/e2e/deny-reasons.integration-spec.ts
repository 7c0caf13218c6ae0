// Issue 17 (part 2): a denial carries a reason code; the requester is told it in plain words, with
// a suggestion of what to do next fitted to the code, in the request's view and in the real email.
import { DENY_REASON_CODES, DENY_REASON_LABELS, type DenyReasonCode } from '@am/contracts';
import { query } from '@am/devstack';
import { testStack } from '../setup/stack';
import { mailbox, signIn } from '../support/api';
import { createOrganization, createUser, grantRole } from '../support/factories';

async function deniedWith(body: Record<string, unknown>) {
  const org = await createOrganization();
  const official = await createUser();
  await grantRole(official, org, 'SECURITY_OFFICIAL');
  const requester = await createUser();
  const asRequester = await signIn(requester);
  const submitted = await asRequester.post('/api/v1/role-requests', { organizationId: org.id, role: 'STAFF_USER' });
  expect(submitted.status).toBe(201);
  const denied = await (await signIn(official)).post(`/api/v1/role-requests/${submitted.body.id}/deny`, body);
  return { org, official, requester, asRequester, id: submitted.body.id as string, denied };
}

describe('deny reasons with guided resubmit', () => {
  it.each(DENY_REASON_CODES.map((code) => [code]))('%s: the view and the requester’s email say why and what to do next', async (code: DenyReasonCode) => {
    const { org, requester, asRequester, id, denied } = await deniedWith({ reasonCode: code, ...(code === 'OTHER' ? { reason: 'We are merging practices this month' } : {}) });
    expect(denied.status).toBe(200);
    expect(denied.body).toMatchObject({ status: 'DENIED', reasonCode: code });
    const expected = {
      NOT_AFFILIATED: { hint: expect.stringContaining(`Contact ${org.name}`) },
      WRONG_ORGANIZATION: { hint: expect.stringContaining('Search for the organization') },
      WRONG_ROLE: { organizationId: org.id, role: 'SECURITY_OFFICIAL', hint: `Request the Security Official role at ${org.name} instead.` },
      NEEDS_JUSTIFICATION: { organizationId: org.id, role: 'STAFF_USER', hint: expect.stringContaining('with a justification') },
      OTHER: { organizationId: org.id, role: 'STAFF_USER', hint: expect.any(String) },
    }[code];
    expect(denied.body.resubmit).toEqual(expected);
    // No one-click resubmit where the organization was wrong or the requester is not affiliated.
    if (code === 'NOT_AFFILIATED' || code === 'WRONG_ORGANIZATION') expect(denied.body.resubmit.organizationId).toBeUndefined();

    const seen = await asRequester.get(`/api/v1/role-requests/${id}`);
    expect(seen.body).toMatchObject({ reasonCode: code, resubmit: denied.body.resubmit });

    const email = await mailbox().waitForMessage((m) => m.to.some((t) => t.address === requester.email) && m.subject.endsWith('was denied'));
    expect(email.text).toContain(`Why: ${DENY_REASON_LABELS[code]}`);
    expect(email.text).toContain(`What you can do: ${denied.body.resubmit.hint}`);
    if (code === 'OTHER') expect(email.text).toContain('Reason given: We are merging practices this month');

    const [audited] = await query<{ code: string }>(testStack().databaseUrl, `SELECT details->>'reasonCode' AS code FROM audit_events WHERE subject_id = $1 AND action = 'role-request.denied'`, [id]);
    expect(audited.code).toBe(code);
  });

  it('a deny without a code is OTHER, as API v1 callers send it', async () => {
    const { denied } = await deniedWith({});
    expect(denied.status).toBe(200);
    expect(denied.body).toMatchObject({ status: 'DENIED', reasonCode: 'OTHER', reason: null, resubmit: { hint: expect.any(String) } });
  });

  it('OTHER needs a reason, and an unknown code is refused, naming the field; nothing is decided', async () => {
    const other = await deniedWith({ reasonCode: 'OTHER', reason: '   ' });
    expect(other.denied.status).toBe(400);
    expect(other.denied.body.error).toMatchObject({ code: 'VALIDATION_FAILED', field: 'reason' });
    const unknown = await deniedWith({ reasonCode: 'BECAUSE' });
    expect(unknown.denied.status).toBe(400);
    expect(unknown.denied.body.error.message).toMatch(/reasonCode must be one of NOT_AFFILIATED/);
    for (const { asRequester, id } of [other, unknown]) expect((await asRequester.get(`/api/v1/role-requests/${id}`)).body.status).toBe('PENDING');
  });

  it('approvals carry no reason code and no suggestion', async () => {
    const org = await createOrganization();
    const official = await createUser();
    await grantRole(official, org, 'SECURITY_OFFICIAL');
    const requester = await createUser();
    const submitted = await (await signIn(requester)).post('/api/v1/role-requests', { organizationId: org.id, role: 'STAFF_USER' });
    const approved = await (await signIn(official)).post(`/api/v1/role-requests/${submitted.body.id}/approve`);
    expect(approved.body).toMatchObject({ status: 'APPROVED', reasonCode: null, resubmit: null });
  });
});
