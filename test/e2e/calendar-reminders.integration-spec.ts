// Issue 19 end to end: a pending request reminds at the program calendar's pace, changing at a
// period's boundary. The calendar is injected: this test starts the request's workflow as
// access-workflows would, with a high-volume period that begins seconds after the submission and
// ends seconds later, on the run's real services (directory, notifications, SMTP server, Temporal),
// and plays the gateway only to mint the requester's caller proof.
import { randomUUID } from 'node:crypto';
import { WithStartWorkflowOperation } from '@temporalio/client';
import { proofTarget, type RoleRequestView } from '@am/contracts';
import { query, waitFor } from '@am/devstack';
import { CallerProofSigner, callerProofSigningKey } from '@am/service-kit';
import { ROLE_REQUEST_WORKFLOW, roleRequestWorkflowId, submitUpdate, taskQueue, type RoleRequestWorkflowInput } from '@am/workflow-contracts';
import { testStack } from '../setup/stack';
import { mailbox, signIn } from '../support/api';
import { createOrganization, createUser, grantRole } from '../support/factories';
import { recordHistoryIfAsked, temporalClient } from '../support/temporal';

const SECOND = 1000;
const iso = (ms: number) => new Date(ms).toISOString();

describe('reminders follow the program calendar (issue 19)', () => {
  let temporal: Awaited<ReturnType<typeof temporalClient>>;
  beforeAll(async () => {
    temporal = await temporalClient();
  });
  afterAll(() => temporal.close());

  it('a request submitted just before a high-volume period is reminded when it begins, at its pace, then at the usual pace once it ends', async () => {
    const stack = testStack();
    const org = await createOrganization();
    const [official, requester] = await Promise.all([createUser(), createUser()]);
    await grantRole(official, org, 'SECURITY_OFFICIAL');
    const requesterApi = await signIn(requester);

    // The usual pace: a first reminder after a minute, then every minute. The period: from 10 s
    // after now for 5 s, reminding 3 s after the last reminder and alerting the help desk with the 2nd.
    const t0 = Date.now();
    const period = { from: t0 + 10 * SECOND, to: t0 + 15 * SECOND };
    const requestId = randomUUID();
    const prefix = stack.taskQueuePrefix;
    const input: RoleRequestWorkflowInput = {
      requestId,
      requesterId: requester.id,
      organizationId: org.id,
      role: 'STAFF_USER',
      taskQueues: { directory: taskQueue('directory', prefix), notifications: taskQueue('notifications', prefix) },
      timings: { firstReminderAfterMs: 60 * SECOND, reminderIntervalMs: 60 * SECOND, escalateWithReminder: 3, expireAfterMs: 10 * 60 * SECOND, denyUndoWindowMs: 20 * SECOND },
      calendar: { highVolume: [{ from: iso(period.from), to: iso(period.to) }], pace: { firstReminderAfterMs: 3 * SECOND, reminderIntervalMs: 3 * SECOND, escalateWithReminder: 2 } },
      recordsSubmission: true,
    };
    const signer = await CallerProofSigner.create(callerProofSigningKey().parse(stack.serviceEnv.CALLER_PROOF_SIGNING_KEY), 60);
    const proof = await signer.mint({ actorId: requester.id, via: 'test' }, 'role-request.submit', proofTarget.submit(org.id, 'STAFF_USER'));
    const submitted = await temporal.client.workflow.executeUpdateWithStart(submitUpdate, {
      args: [{ proof }],
      startWorkflowOperation: new WithStartWorkflowOperation(ROLE_REQUEST_WORKFLOW, {
        workflowId: roleRequestWorkflowId(requestId),
        taskQueue: taskQueue('accessWorkflows', prefix),
        workflowIdConflictPolicy: 'FAIL',
        args: [input],
      }),
    });
    const acceptedAt = Date.parse(submitted.createdAt);
    // The submission must have come more than the period's 3 s before it, or there is no boundary to cross.
    expect(acceptedAt).toBeLessThan(period.from - 3 * SECOND);

    // Not a minute after the submission (the usual pace): when the period begins, since the request has waited more than 3 s by then.
    const view = async () => (await requesterApi.get<RoleRequestView>(`/api/v1/role-requests/${requestId}`)).body;
    expect(submitted.nextReminderAt).toBe(iso(period.from));
    expect((await view()).nextReminderAt).toBe(iso(period.from));

    const reminders = () =>
      query<{ details: { reminder: number }; occurred_at: Date }>(
        stack.databaseUrl,
        `SELECT details, occurred_at FROM audit_events WHERE action = 'role-request.reminded' AND subject_id = $1 ORDER BY id`,
        [requestId],
      );
    const two = await waitFor('the 2nd reminder', async () => ((await reminders()).length >= 2 ? await reminders() : undefined), 60_000, 250);
    // The 1st at the boundary, the 2nd 3 s later (the period's pace), neither early.
    expect(two.map((r) => r.details.reminder)).toEqual([1, 2]);
    expect(two[0].occurred_at.getTime()).toBeGreaterThanOrEqual(period.from);
    expect(two[1].occurred_at.getTime()).toBeGreaterThanOrEqual(period.from + 3 * SECOND);
    // The help desk was alerted with the 2nd reminder: the period's escalation, not the usual 3rd.
    const escalated = await query<{ details: unknown }>(stack.databaseUrl, `SELECT details FROM audit_events WHERE action = 'role-request.escalated' AND subject_id = $1`, [requestId]);
    expect(escalated).toEqual([{ details: { afterReminder: 2 } }]);

    // The 3rd would come 3 s later, after the period ends: the usual minute from the 2nd applies.
    await waitFor('the next reminder to be recorded', async () => (await view()).nextReminderAt === iso(period.from + 3 * SECOND + 60 * SECOND), 30_000, 250);

    // Each reminder reached the official by real SMTP.
    const mail = mailbox();
    for (const n of [1, 2]) {
      await mail.waitForMessage((m) => m.to.some((t) => t.address === official.email) && m.headers['x-idempotency-key']?.includes(`role-request-${requestId}/reminder-${n}/`));
    }

    // Closed, it reminds no more, and says so.
    const withdrawn = await requesterApi.post(`/api/v1/role-requests/${requestId}/withdraw`);
    expect(withdrawn.status).toBe(200);
    expect(withdrawn.body).toMatchObject({ status: 'WITHDRAWN', nextReminderAt: null });
    await recordHistoryIfAsked(temporal.client, roleRequestWorkflowId(requestId), 'calendar-paced-withdrawn');
  });
});
