// Rule 7 on a real Temporal dev server with short durations (the same code path as the days-long
// defaults): reminders to the approvers, escalation to the help desk with the 3rd reminder, then
// expiry with the requester told; in this order, in the history, the audit log and the mailbox.
import type { Client } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import { query, type RunningServices } from '@am/devstack';
import type { RoleRequestWorkflowInput } from '@am/workflow-contracts';
import { testStack } from '../setup/stack';
import { mailbox, signIn } from '../support/api';
import { startExtraStack } from '../support/extra-stack';
import { createOrganization, createUser, grantRole } from '../support/factories';
import { recordHistoryIfAsked, scheduledNotices, temporalClient } from '../support/temporal';

const keyOf = (m: { headers: Record<string, string> }) => m.headers['x-idempotency-key'];

describe('role request timers', () => {
  let stack: RunningServices;
  let temporal: { client: Client; close: () => Promise<void> };

  beforeAll(async () => {
    [stack, temporal] = await Promise.all([
      startExtraStack('timers', { REMINDER_FIRST_AFTER: '3s', REMINDER_INTERVAL: '2s', ESCALATE_WITH_REMINDER: '3', REQUEST_EXPIRES_AFTER: '8s' }),
      temporalClient(),
    ]);
  }, 180_000);
  afterAll(async () => {
    await Promise.all([stack?.stop(), temporal?.close()]);
  });

  it('reminds the approvers, escalates to the help desk after the 3rd reminder, then expires and tells the requester', async () => {
    const org = await createOrganization();
    const official = await createUser({ displayName: 'Tessa Timely' });
    await grantRole(official, org, 'SECURITY_OFFICIAL');
    const helpDesk = await createUser({ displayName: 'Help Desk Hank', platformRole: 'HELP_DESK' });
    const requester = await createUser({ displayName: 'Patient Pat' });

    const asRequester = await signIn(requester, stack.gatewayUrl);
    const submitted = await asRequester.post('/api/v1/role-requests', { organizationId: org.id, role: 'STAFF_USER' });
    expect(submitted.status).toBe(201);
    const id: string = submitted.body.id;
    const handle = temporal.client.workflow.getHandle(submitted.body.workflowId);

    const final = await handle.result();
    expect(final).toMatchObject({ status: 'EXPIRED', remindersSent: 3, escalated: true, decision: null });

    // The durations were fixed into the request's input when it started.
    const history = await handle.fetchHistory();
    const started = history.events![0].workflowExecutionStartedEventAttributes!;
    const input = defaultPayloadConverter.fromPayload<RoleRequestWorkflowInput>(started.input!.payloads![0] as never);
    expect(input.timings).toEqual({ firstReminderAfterMs: 3000, reminderIntervalMs: 2000, escalateWithReminder: 3, expireAfterMs: 8000 });

    // The notices, in the order the workflow sent them.
    const sent = await scheduledNotices(temporal.client, handle.workflowId);
    const keys = sent.map((n) => n.idempotencyKey.replace(`role-request-${id}/`, '')).filter((k) => !k.startsWith('escalated/') || k === `escalated/${helpDesk.id}`);
    expect(keys.slice(0, 2).sort()).toEqual([`submitted/approver/${official.id}`, 'submitted/requester']);
    expect(keys.slice(2)).toEqual([`reminder-1/${official.id}`, `reminder-2/${official.id}`, `reminder-3/${official.id}`, `escalated/${helpDesk.id}`, 'expired/requester']);

    // The directory agrees, and the audit log has every step in order.
    const db = testStack().databaseUrl;
    expect(await query(db, 'SELECT status FROM role_requests WHERE id = $1', [id])).toEqual([{ status: 'EXPIRED' }]);
    const audit = await query(db, 'SELECT action, details FROM audit_events WHERE subject_id = $1 ORDER BY id', [id]);
    expect(audit.map((a) => a.action)).toEqual([
      'role-request.submitted',
      'role-request.reminded',
      'role-request.reminded',
      'role-request.reminded',
      'role-request.escalated',
      'role-request.expired',
    ]);
    expect(audit.filter((a) => a.action === 'role-request.reminded').map((a) => (a.details as { reminder: number }).reminder)).toEqual([1, 2, 3]);

    // The mail server received each of them once.
    const inbox = mailbox();
    const expired = await inbox.waitForMessage((m) => keyOf(m) === `role-request-${id}/expired/requester`);
    expect(expired.subject).toBe(`Your request for the Staff User role at ${org.name} expired`);
    expect(expired.text).toContain('You may submit a new request.');
    const mine = (await inbox.messages()).filter((m) => keyOf(m)?.startsWith(`role-request-${id}/`));
    const reminders = mine.filter((m) => keyOf(m)!.includes('/reminder-'));
    expect(reminders.map((m) => m.subject)).toEqual(Array(3).fill(`Reminder: Patient Pat is waiting for the Staff User role at ${org.name}`));
    expect(reminders.map((m) => m.to[0].address)).toEqual(Array(3).fill(official.email));
    expect(reminders.some((m) => m.text.includes('This is the third reminder.'))).toBe(true);
    const escalation = mine.find((m) => keyOf(m) === `role-request-${id}/escalated/${helpDesk.id}`)!;
    expect(escalation.to[0].address).toBe(helpDesk.email);
    expect(escalation.text).toContain('Its approvers (Tessa Timely) were reminded 3 times and have not decided.');
    expect(new Set(mine.map(keyOf)).size).toBe(mine.length);

    // Nobody decides an expired request.
    const late = await (await signIn(official, stack.gatewayUrl)).post(`/api/v1/role-requests/${id}/approve`);
    expect(late.status).toBe(409);
    expect(late.body.error.message).toMatch(/^This request expired undecided at /);

    await recordHistoryIfAsked(temporal.client, handle.workflowId, 'expiry');
  }, 90_000);
});
