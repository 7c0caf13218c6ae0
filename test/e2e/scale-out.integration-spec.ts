// Two instances each of the access-workflows and notifications workers on one Temporal: the work
// is spread over both, and when one notifications worker is stopped (SIGTERM) in the middle of a
// burst of decisions, it drains and nothing is lost or sent twice.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { freePort, startServiceProcess, waitFor, type ManagedProcess, type RunningServices } from '@am/devstack';
import { testStack } from '../setup/stack';
import { mailbox, signIn, type Api } from '../support/api';
import { startExtraStack } from '../support/extra-stack';
import { createOrganization, createUser, grantRole, type TestUser } from '../support/factories';

const BATCH = 15;
const isDecision = (m: { subject: string }) => m.subject.endsWith(' was approved');

describe('scale-out', () => {
  let stack: RunningServices;
  let second: { workflows: ManagedProcess; notifications: ManagedProcess };
  let connection: Connection;
  const prefix = `scale-${process.pid}`;

  beforeAll(async () => {
    const env = testStack().serviceEnv;
    stack = await startExtraStack('scale', {});
    const logDir = join(testStack().logDir, 'scale');
    second = {
      workflows: startServiceProcess('access-workflows', { ...env, TASK_QUEUE_PREFIX: prefix, ACCESS_WORKFLOWS_PORT: String(await freePort()), RECONCILE_ON_START: 'false' }, join(logDir, 'access-workflows-2.log')),
      notifications: startServiceProcess('notifications', { ...env, TASK_QUEUE_PREFIX: prefix, NOTIFICATIONS_PORT: String(await freePort()) }, join(logDir, 'notifications-2.log')),
    };
    connection = await Connection.connect({ address: testStack().temporalAddress });
    // Ready when both instances poll both queues.
    await waitFor('two pollers on each task queue', async () => {
      const wf = await pollers(`${prefix}-access-workflows`, temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW);
      const act = await pollers(`${prefix}-notifications`, temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY);
      return wf.size >= 2 && act.size >= 2;
    }, 90_000, 500);
  }, 180_000);

  afterAll(async () => {
    await Promise.all([second?.workflows.stop(), second?.notifications.stop(), stack?.stop()]);
    await connection?.close();
  });

  async function pollers(name: string, type: temporal.api.enums.v1.TaskQueueType): Promise<Set<string>> {
    const res = await connection.workflowService.describeTaskQueue({ namespace: testStack().temporalNamespace, taskQueue: { name }, taskQueueType: type });
    return new Set((res.pollers ?? []).map((p) => p.identity ?? ''));
  }

  async function submitBatch(org: { id: string }, count: number): Promise<{ requester: TestUser; id: string; workflowId: string }[]> {
    return Promise.all(
      Array.from({ length: count }, async () => {
        const requester = await createUser();
        const res = await (await signIn(requester, stack.gatewayUrl)).post('/api/v1/role-requests', { organizationId: org.id, role: 'STAFF_USER' });
        expect(res.status).toBe(201);
        return { requester, id: res.body.id as string, workflowId: res.body.workflowId as string };
      }),
    );
  }

  async function approveAll(official: Api, requests: { id: string }[]) {
    const results = await Promise.all(requests.map((r) => official.post(`/api/v1/role-requests/${r.id}/approve`)));
    expect(results.map((r) => r.status)).toEqual(requests.map(() => 200));
  }

  async function identitiesOf(workflowId: string, eventType: temporal.api.enums.v1.EventType): Promise<string[]> {
    const res = await connection.workflowService.getWorkflowExecutionHistory({ namespace: testStack().temporalNamespace, execution: { workflowId } });
    return (res.history?.events ?? [])
      .filter((e) => e.eventType === eventType)
      .map((e) => e.workflowTaskCompletedEventAttributes?.identity ?? e.activityTaskStartedEventAttributes?.identity ?? '');
  }

  it('spreads the work over both instances and loses nothing when one is stopped mid-flight', async () => {
    const org = await createOrganization();
    const officialUser = await createUser();
    await grantRole(officialUser, org, 'SECURITY_OFFICIAL');
    const official = await signIn(officialUser, stack.gatewayUrl);

    const first = await submitBatch(org, BATCH);
    await approveAll(official, first);
    const inbox = mailbox();
    await waitFor('the first batch of emails', async () => {
      const to = new Set((await inbox.messages()).filter(isDecision).flatMap((m) => m.to.map((t) => t.address)));
      return first.every((r) => to.has(r.requester.email));
    });

    const pidOf = (p: ManagedProcess) => `${p.child.pid}@`;
    const wfIdentities = new Set((await Promise.all(first.map((r) => identitiesOf(r.workflowId, temporal.api.enums.v1.EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED)))).flat());
    const actIdentities = new Set((await Promise.all(first.map((r) => identitiesOf(r.workflowId, temporal.api.enums.v1.EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED)))).flat());
    for (const p of [stack.processes.get('access-workflows')!, second.workflows]) {
      expect([...wfIdentities].some((i) => i.startsWith(pidOf(p)))).toBe(true);
    }
    for (const p of [stack.processes.get('notifications')!, second.notifications]) {
      expect([...actIdentities].some((i) => i.startsWith(pidOf(p)))).toBe(true);
    }

    // Stop one notifications worker gracefully while the second batch is being decided.
    const secondBatch = await submitBatch(org, BATCH);
    const approving = approveAll(official, secondBatch);
    second.notifications.child.kill('SIGTERM');
    await approving;
    await second.notifications.exited;
    expect(readFileSync(join(testStack().logDir, 'scale', 'notifications-2.log'), 'utf8')).toContain('Temporal worker drained and stopped');

    const everyone = [...first, ...secondBatch];
    const all = await waitFor('every email of both batches', async () => {
      // Requesters are also told on submit: count the decision emails.
      const msgs = (await inbox.messages()).filter(isDecision);
      const to = msgs.flatMap((m) => m.to.map((t) => t.address));
      return everyone.every((r) => to.includes(r.requester.email)) ? to : undefined;
    }, 60_000, 250);
    for (const r of everyone) expect(all.filter((a) => a === r.requester.email)).toHaveLength(1);
  }, 240_000);
});
