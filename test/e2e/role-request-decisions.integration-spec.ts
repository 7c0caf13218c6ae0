// First decision wins (rule 5), refusals with reasons (rule 4), withdrawal by the requester
// (rule 8), and what an operator sees in Temporal: search attributes, memo and the status query.
import { randomBytes } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import { query, waitFor } from '@am/devstack';
import { statusQuery } from '@am/workflow-contracts';
import { testStack } from '../setup/stack';
import { mailbox, signIn } from '../support/api';
import { createOrganization, createUser, grantRole } from '../support/factories';
import { recordHistoryIfAsked, scheduledActivities, temporalClient } from '../support/temporal';

const REQUEST_STATUS = defineSearchAttributeKey('RequestStatus', SearchAttributeType.KEYWORD);
const ORGANIZATION_ID = defineSearchAttributeKey('OrganizationId', SearchAttributeType.KEYWORD);
const keyOf = (m: { headers: Record<string, string> }) => m.headers['x-idempotency-key'];

describe('role request decisions', () => {
  let temporal: { client: Client; close: () => Promise<void> };
  beforeAll(async () => {
    temporal = await temporalClient();
  });
  afterAll(() => temporal?.close());

  it('lets exactly one of 20 approvers pressing at once decide, and tells the other 19 who decided what, when', async () => {
    const tag = randomBytes(3).toString('hex');
    const org = await createOrganization();
    const officials = await Promise.all(Array.from({ length: 20 }, (_, i) => createUser({ displayName: `Official ${String(i).padStart(2, '0')} ${tag}` })));
    for (const o of officials) await grantRole(o, org, 'SECURITY_OFFICIAL');
    const requester = await createUser({ displayName: `Rory Racer ${tag}` });

    const submitted = await (await signIn(requester)).post('/api/v1/role-requests', { organizationId: org.id, role: 'STAFF_USER', justification: 'I file our reports.' });
    expect(submitted.status).toBe(201);
    expect(submitted.body.approvers).toHaveLength(20);
    const id: string = submitted.body.id;

    // Rule 6: the requester's email names the approvers; every approver is told.
    const inbox = mailbox();
    const submittedMail = await inbox.waitForMessage((m) => keyOf(m) === `role-request-${id}/submitted/requester`);
    expect(submittedMail.subject).toBe(`Your request for the Staff User role at ${org.name} was submitted`);
    for (const o of officials) expect(submittedMail.text).toContain(o.displayName);
    await waitFor('the submission notice to all 20 approvers', async () => {
      const keys = new Set((await inbox.messages()).map(keyOf));
      return officials.every((o) => keys.has(`role-request-${id}/submitted/approver/${o.id}`));
    });
    const toOfficial = (await inbox.messages()).find((m) => keyOf(m) === `role-request-${id}/submitted/approver/${officials[0].id}`)!;
    expect(toOfficial.text).toContain(`${requester.displayName} has requested the Staff User role at ${org.name}`);
    expect(toOfficial.text).toContain('Their justification: I file our reports.');

    const callers = await Promise.all(officials.map((o) => signIn(o)));
    const results = await Promise.all(
      callers.map((c, i) => (i % 2 ? c.post(`/api/v1/role-requests/${id}/deny`, { reason: `no (${i})` }) : c.post(`/api/v1/role-requests/${id}/approve`))),
    );

    const winners = results.filter((r) => r.status === 200);
    expect(winners).toHaveLength(1);
    const won = winners[0].body;
    const losers = results.filter((r) => r.status === 409);
    expect(losers).toHaveLength(19);
    for (const l of losers) {
      expect(l.body.error).toMatchObject({
        code: 'ALREADY_DECIDED',
        message: `This request was already ${won.status.toLowerCase()} by ${won.decidedBy.displayName} at ${won.decidedAt}`,
        details: { status: won.status, decidedBy: won.decidedBy.displayName, decidedAt: won.decidedAt },
      });
    }

    // One decision in the directory ...
    const db = testStack().databaseUrl;
    const rows = await query(db, 'SELECT status, decided_by_id FROM role_requests WHERE id = $1', [id]);
    expect(rows).toEqual([{ status: won.status, decided_by_id: won.decidedBy.id }]);
    const decisions = await query(db, `SELECT actor_id FROM audit_events WHERE subject_id = $1 AND action IN ('role-request.approved', 'role-request.denied')`, [id]);
    expect(decisions).toEqual([{ actor_id: won.decidedBy.id }]);
    const granted = await query(db, 'SELECT role FROM role_assignments WHERE user_id = $1', [requester.id]);
    expect(granted).toEqual(won.status === 'APPROVED' ? [{ role: 'STAFF_USER' }] : []);

    // ... and one in Temporal.
    const handle = temporal.client.workflow.getHandle(`role-request-${id}`);
    const final = await handle.result();
    expect(final).toMatchObject({ status: won.status, decision: { decider: { id: won.decidedBy.id } } });
    expect((await scheduledActivities(temporal.client, handle.workflowId)).filter((a) => a === 'recordDecision')).toHaveLength(1);

    // The requester is told once; only the winner gets the confirmation.
    await inbox.waitForMessage((m) => keyOf(m) === `role-request-${id}/decided/approver/${won.decidedBy.id}`);
    const decidedMail = (await inbox.messages()).filter((m) => keyOf(m)?.startsWith(`role-request-${id}/decided/`));
    expect(decidedMail.map(keyOf).sort()).toEqual([`role-request-${id}/decided/approver/${won.decidedBy.id}`, `role-request-${id}/decided/requester`]);
    const confirmation = decidedMail.find((m) => keyOf(m)!.includes('/approver/'))!;
    expect(confirmation.subject).toBe(`You ${won.status.toLowerCase()} ${requester.displayName}'s request for the Staff User role at ${org.name}`);
  }, 120_000);

  it('lets the requester withdraw, tells the approvers, refuses anyone else, and shows it to operators', async () => {
    const org = await createOrganization();
    const official = await createUser({ displayName: 'Wanda Official' });
    await grantRole(official, org, 'SECURITY_OFFICIAL');
    const requester = await createUser({ displayName: 'Walter Withdrawer' });
    const asRequester = await signIn(requester);
    const asOfficial = await signIn(official);

    const submitted = await asRequester.post('/api/v1/role-requests', { organizationId: org.id, role: 'SECURITY_OFFICIAL' });
    expect(submitted.status).toBe(201);
    const id: string = submitted.body.id;
    const handle = temporal.client.workflow.getHandle(submitted.body.workflowId);

    // Operators: the four search attributes, a memo with names, the status query.
    const described = await handle.describe();
    expect(described.typedSearchAttributes.get(REQUEST_STATUS)).toBe('PENDING');
    expect(described.typedSearchAttributes.get(ORGANIZATION_ID)).toBe(org.id);
    const pending = await waitFor('the status query to name the parties', async () => {
      const s = await handle.query(statusQuery);
      return s.requester ? s : undefined;
    });
    expect(pending).toMatchObject({ status: 'PENDING', approvers: ['Wanda Official'], requester: { displayName: 'Walter Withdrawer' }, organization: { name: org.name } });
    expect((await handle.describe()).memo).toEqual({ requester: 'Walter Withdrawer', organization: org.name, role: 'Security Official', gatewayRequestId: expect.any(String) });

    const byOfficial = await asOfficial.post(`/api/v1/role-requests/${id}/withdraw`);
    expect(byOfficial.status).toBe(403);
    expect(byOfficial.body.error).toMatchObject({ code: 'FORBIDDEN', message: 'Only the requester can withdraw a request' });

    const withdrawn = await asRequester.post(`/api/v1/role-requests/${id}/withdraw`);
    expect(withdrawn.status).toBe(200);
    expect(withdrawn.body).toMatchObject({ status: 'WITHDRAWN', decidedBy: { id: requester.id } });
    // A retried withdrawal answers the same; a decision afterwards is refused, naming the withdrawal.
    expect((await asRequester.post(`/api/v1/role-requests/${id}/withdraw`)).body.status).toBe('WITHDRAWN');
    const late = await asOfficial.post(`/api/v1/role-requests/${id}/approve`);
    expect(late.status).toBe(409);
    expect(late.body.error.message).toBe(`This request was already withdrawn by Walter Withdrawer at ${withdrawn.body.decidedAt}`);

    expect(await handle.result()).toMatchObject({ status: 'WITHDRAWN', decision: null });
    const audit = await query(testStack().databaseUrl, 'SELECT action FROM audit_events WHERE subject_id = $1 ORDER BY id', [id]);
    expect(audit.map((a) => a.action)).toEqual(['role-request.submitted', 'role-request.withdrawn']);

    const inbox = mailbox();
    const toRequester = await inbox.waitForMessage((m) => keyOf(m) === `role-request-${id}/withdrawn/requester`);
    expect(toRequester.subject).toBe(`You withdrew your request for the Security Official role at ${org.name}`);
    const toOfficial = await inbox.waitForMessage((m) => keyOf(m) === `role-request-${id}/withdrawn/approver/${official.id}`);
    expect(toOfficial.text).toContain(`Walter Withdrawer withdrew the request for the Security Official role at ${org.name}. Nothing is left for you to decide.`);
    expect(toOfficial.html).toContain('Have questions? Contact the Quality Payment Program');

    // The query an operator types in Temporal's UI finds it (visibility is eventually consistent).
    await waitFor('the withdrawn request in a visibility query', async () => {
      for await (const wf of temporal.client.workflow.list({ query: `RequestStatus="WITHDRAWN" AND OrganizationId="${org.id}"` })) {
        if (wf.workflowId === handle.workflowId) return true;
      }
      return false;
    });

    // Rule 8: a withdrawn request may be submitted again as a new one.
    const again = await asRequester.post('/api/v1/role-requests', { organizationId: org.id, role: 'SECURITY_OFFICIAL' });
    expect(again.status).toBe(201);
    expect(again.body.id).not.toBe(id);

    await recordHistoryIfAsked(temporal.client, handle.workflowId, 'submitted-withdraw');
  }, 60_000);
});
