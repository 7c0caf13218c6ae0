// The role-request workflow at the workflow level (issue 16): the real workflow code on the real
// Temporal dev server, with the directory's and notifications' activities stubbed in this process.
// Timers run with durations of a few seconds (the same code path as the days-long defaults), so
// reminders, escalation and expiry are exercised without a second stack of services.
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client, Connection, WithStartWorkflowOperation, WorkflowNotFoundError, WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { bundleWorkflowCode, DefaultLogger, NativeConnection, Worker, type WorkflowBundle } from '@temporalio/worker';
import { DomainError, ERROR_CODES, type RoleRequestView } from '@am/contracts';
import {
  decideUpdate,
  decisionUpdateId,
  domainErrorIn,
  domainFailure,
  ROLE_REQUEST_WORKFLOW,
  roleRequestWorkflowId,
  submitUpdate,
  withdrawUpdate,
  type ClosureRecord,
  type DecisionRecord,
  type DirectoryActivities,
  type NotificationActivities,
  type NotificationInput,
  type RecordDecisionInput,
  type RequestParties,
  type RequestTimings,
  type RoleRequestState,
  type RoleRequestWorkflowInput,
} from '@am/workflow-contracts';

/** The dev server the integration run started (test/setup/global-setup.ts publishes it in AM_TEST_STACK). */
function testStack(): { temporalAddress: string; temporalNamespace: string } {
  const raw = process.env.AM_TEST_STACK;
  if (!raw) throw new Error('The integration stack is not running: run this through jest (npm test)');
  return JSON.parse(raw) as { temporalAddress: string; temporalNamespace: string };
}

const DAY = 86_400_000;
const HISTORIES = join(__dirname, 'histories');

/** With RECORD_HISTORIES=1, keeps this run's history for the replay test (docs/WORKFLOW-VERSIONING.md). */
async function recordHistoryIfAsked(handle: WorkflowHandle, name: string): Promise<void> {
  if (!process.env.RECORD_HISTORIES) return;
  await handle.result().catch(() => undefined);
  writeFileSync(join(HISTORIES, `${name}.json`), historyToJSON(await handle.fetchHistory()));
}
const requester = { id: randomUUID(), displayName: 'Rita Requester', email: 'rita@example.com' };
const official = { id: randomUUID(), displayName: 'Oscar Official', email: 'oscar@example.com' };
const official2 = { id: randomUUID(), displayName: 'Olga Official', email: 'olga@example.com' };
const helpDesk = { id: randomUUID(), displayName: 'Hank Help Desk', email: 'hank@example.com' };
const organization = { id: randomUUID(), name: 'Workflow Level Practice' };

/** A directory that keeps one request in memory, as the real one keeps it in PostgreSQL. */
class FakeDirectory {
  calls: string[] = [];
  refuseSubmission: DomainError | null = null;
  /** Who may decide; anyone else is refused FORBIDDEN when the decision is recorded. */
  deciders = new Set([official.id, official2.id]);
  /** When the submission was recorded: now, unless a test sets it. */
  submittedAt: string | null = null;
  status: RequestParties['status'] = 'PENDING';
  decided: DecisionRecord | null = null;
  /** Holds recordDecision until released, to line two decisions up. */
  holdDecision: Promise<void> | null = null;

  constructor(readonly requestId: string) {}

  parties(): RequestParties {
    return {
      requestId: this.requestId,
      status: this.status,
      role: 'STAFF_USER',
      justification: 'I report quality data',
      submittedAt: this.submittedAt!,
      requester,
      organization,
      securityOfficials: [official, official2],
      helpDesk: [helpDesk],
    };
  }

  view(): RoleRequestView {
    return {
      id: this.requestId,
      workflowId: roleRequestWorkflowId(this.requestId),
      status: this.status,
      role: 'STAFF_USER',
      justification: 'I report quality data',
      organization: { id: organization.id, kind: 'PRACTICE', identifier: '123456789', name: organization.name },
      requester: { id: requester.id, displayName: requester.displayName },
      approvers: [official.displayName, official2.displayName],
      decidedBy: this.decided ? { id: this.decided.decider.id, displayName: this.decided.decider.displayName } : null,
      decidedAt: this.decided?.decidedAt ?? null,
      reason: this.decided?.reason ?? null,
      reasonCode: null,
      resubmit: null,
      createdAt: this.submittedAt!,
    };
  }

  activities(): Partial<DirectoryActivities> {
    return {
      recordSubmission: async () => {
        this.calls.push('recordSubmission');
        if (this.refuseSubmission) throw domainFailure(this.refuseSubmission);
        this.submittedAt ??= new Date().toISOString();
        return { view: this.view(), parties: this.parties() };
      },
      getRequestParties: async () => {
        this.calls.push('getRequestParties');
        return this.parties();
      },
      recordDecision: async (input: RecordDecisionInput) => {
        this.calls.push(`recordDecision:${input.deciderId}`);
        await this.holdDecision;
        if (!this.deciders.has(input.deciderId)) throw domainFailure(new DomainError(ERROR_CODES.FORBIDDEN, `Only a Security Official of ${organization.name} can decide this request`));
        const status = input.decision === 'APPROVE' ? 'APPROVED' : 'DENIED';
        const decider = [official, official2].find((o) => o.id === input.deciderId)!;
        this.status = status;
        this.decided = { requestId: this.requestId, status, role: 'STAFF_USER', reason: input.reason ?? null, decidedAt: new Date().toISOString(), decider, requester, organization };
        return { ...this.decided, view: this.view() };
      },
      withdrawRequest: async (): Promise<ClosureRecord> => {
        this.calls.push('withdrawRequest');
        this.status = 'WITHDRAWN';
        return { requestId: this.requestId, status: 'WITHDRAWN', closedAt: new Date().toISOString(), view: this.view(), approvers: [official, official2] };
      },
      expireRequest: async (): Promise<ClosureRecord> => {
        this.calls.push('expireRequest');
        this.status = 'EXPIRED';
        return { requestId: this.requestId, status: 'EXPIRED', closedAt: new Date().toISOString() };
      },
      recordReminder: async (input) => {
        this.calls.push(`recordReminder:${input.reminder}${input.escalated ? ':escalated' : ''}`);
      },
    };
  }
}

describe('the role-request workflow, with its activities stubbed', () => {
  let connection: NativeConnection;
  let clientConnection: Connection;
  let client: Client;
  let workflowBundle: WorkflowBundle;

  beforeAll(async () => {
    const { temporalAddress, temporalNamespace } = testStack();
    connection = await NativeConnection.connect({ address: temporalAddress });
    clientConnection = await Connection.connect({ address: temporalAddress });
    client = new Client({ connection: clientConnection, namespace: temporalNamespace });
    workflowBundle = await bundleWorkflowCode({ workflowsPath: require.resolve('../src/workflows'), logger: new DefaultLogger('WARN') });
  }, 120_000);

  afterAll(async () => {
    await clientConnection?.close();
    await connection?.close();
  });

  /** Workers for one request on queues of its own; `body` drives it; the notices sent are collected in order. */
  async function withRequest<T>(timings: RequestTimings, body: (r: { directory: FakeDirectory; sent: string[]; submit: () => Promise<RoleRequestView>; input: RoleRequestWorkflowInput }) => Promise<T>, setup?: (d: FakeDirectory) => void): Promise<T> {
    const queue = `wf-level-${randomUUID()}`;
    const requestId = randomUUID();
    const directory = new FakeDirectory(requestId);
    setup?.(directory);
    const sent: string[] = [];
    const record = (input: NotificationInput) => {
      sent.push(input.idempotencyKey.slice(`role-request-${requestId}/`.length));
      return { messageId: `<${sent.length}@test>`, duplicate: false };
    };
    const notifications: Partial<NotificationActivities> = { sendNotifications: async (inputs) => inputs.map(record) };
    const { temporalNamespace: namespace } = testStack();
    const workers = await Promise.all([
      Worker.create({ connection, namespace, taskQueue: `${queue}-wf`, workflowBundle }),
      Worker.create({ connection, namespace, taskQueue: `${queue}-dir`, activities: directory.activities() }),
      Worker.create({ connection, namespace, taskQueue: `${queue}-not`, activities: notifications }),
    ]);
    const input: RoleRequestWorkflowInput = {
      requestId,
      requesterId: requester.id,
      organizationId: organization.id,
      role: 'STAFF_USER',
      taskQueues: { directory: `${queue}-dir`, notifications: `${queue}-not` },
      timings,
      recordsSubmission: true,
    };
    const submit = () =>
      client.workflow.executeUpdateWithStart(submitUpdate, {
        args: [{ justification: 'I report quality data', proof: 'proof' }],
        startWorkflowOperation: new WithStartWorkflowOperation(ROLE_REQUEST_WORKFLOW, {
          workflowId: roleRequestWorkflowId(requestId),
          taskQueue: `${queue}-wf`,
          workflowIdConflictPolicy: 'FAIL',
          args: [input],
        }),
      });
    const running = workers.map((w) => w.run());
    try {
      return await body({ directory, sent, submit, input });
    } finally {
      workers.forEach((w) => w.shutdown());
      await Promise.all(running);
    }
  }

  const handleOf = (input: RoleRequestWorkflowInput) => client.workflow.getHandle(roleRequestWorkflowId(input.requestId));
  const timerDurationsMs = async (input: RoleRequestWorkflowInput) => {
    const history = await handleOf(input).fetchHistory();
    return history.events!.filter((e) => e.timerStartedEventAttributes).map((e) => {
      const t = e.timerStartedEventAttributes!.startToFireTimeout!;
      return Number(t.seconds ?? 0) * 1000 + Math.round((t.nanos ?? 0) / 1e6);
    });
  };

  it('reminds the approvers, alerts the help desk with the 3rd reminder, then expires and tells the requester', async () => {
    // Reminders at 1, 5 and 9 s, expiry at 12 s (the 4th reminder would come at 13 s): seconds of slack
    // on either side for a loaded machine, where a late reminder step must not swallow the next.
    await withRequest({ firstReminderAfterMs: 1000, reminderIntervalMs: 4000, escalateWithReminder: 3, expireAfterMs: 12_000 }, async ({ directory, sent, submit, input }) => {
      expect(await submit()).toMatchObject({ status: 'PENDING' });
      const final = (await handleOf(input).result()) as RoleRequestState;
      expect(final).toMatchObject({ status: 'EXPIRED', remindersSent: 3, escalated: true, decision: null });
      expect(sent.slice(0, 3).sort()).toEqual([`submitted/approver/${official.id}`, `submitted/approver/${official2.id}`, 'submitted/requester'].sort());
      // Each step's notices after the step before; the 3rd reminder and the help desk's alert are one step (sent side by side).
      const step = (key: string) => (key.startsWith('escalated/') ? 3 : key === 'expired/requester' ? 4 : Number(/^reminder-(\d)\//.exec(key)?.[1]));
      expect(sent.slice(3).map(step)).toEqual([1, 1, 2, 2, 3, 3, 3, 4]);
      expect(sent.slice(3).sort()).toEqual(
        [1, 2, 3].flatMap((n) => [`reminder-${n}/${official.id}`, `reminder-${n}/${official2.id}`]).concat(`escalated/${helpDesk.id}`, 'expired/requester').sort(),
      );
      // The parties come with the submission; reminders read the approvers as they are then.
      expect(directory.calls).toEqual([
        'recordSubmission',
        'getRequestParties',
        'recordReminder:1',
        'getRequestParties',
        'recordReminder:2',
        'getRequestParties',
        'recordReminder:3:escalated',
        'expireRequest',
      ]);
      await recordHistoryIfAsked(handleOf(input), 'submitted-expiry');
    });
  });

  it('times reminders and expiry from the submission, not from when the workflow ran', async () => {
    const timings = { firstReminderAfterMs: 2 * DAY, reminderIntervalMs: 3 * DAY, escalateWithReminder: 3, expireAfterMs: 30 * DAY };
    const hourAgo = new Date(Date.now() - 3_600_000).toISOString();
    await withRequest(
      timings,
      async ({ submit, input }) => {
        await submit();
        const handle = handleOf(input);
        await waitUntil(async () => (await timerDurationsMs(input)).length > 0);
        const [first] = await timerDurationsMs(input);
        // Two days less the hour since the submission (and the few seconds this test took).
        expect(first).toBeLessThanOrEqual(2 * DAY - 3_600_000);
        expect(first).toBeGreaterThan(2 * DAY - 3_600_000 - 60_000);
        await handle.terminate('test over');
      },
      (d) => (d.submittedAt = hourAgo),
    );
  });

  it('a refused submission records nothing, tells nobody, and ends', async () => {
    await withRequest(
      { firstReminderAfterMs: DAY, reminderIntervalMs: DAY, escalateWithReminder: 3, expireAfterMs: 30 * DAY },
      async ({ directory, sent, submit, input }) => {
        const refusal = await submit().catch((e: unknown) => e);
        expect(refusal).toBeInstanceOf(WorkflowUpdateFailedError);
        expect(domainErrorIn(refusal)).toMatchObject({ code: 'DUPLICATE_PENDING_REQUEST', field: 'organizationId' });
        const final = (await handleOf(input).result()) as RoleRequestState;
        expect(final.refusal).toMatchObject({ code: 'DUPLICATE_PENDING_REQUEST' });
        expect(sent).toEqual([]);
        expect(directory.calls).toEqual(['recordSubmission']);
        await recordHistoryIfAsked(handleOf(input), 'submitted-refused');
      },
      (d) => (d.refuseSubmission = new DomainError(ERROR_CODES.DUPLICATE_PENDING_REQUEST, 'You already have a pending request here', 'organizationId')),
    );
  });

  it('two officials at once: the first recorded wins, the other is told who decided what, when; a retry of the winner is answered its first result, even after the workflow ended', async () => {
    let release!: () => void;
    await withRequest(
      { firstReminderAfterMs: DAY, reminderIntervalMs: DAY, escalateWithReminder: 3, expireAfterMs: 30 * DAY },
      async ({ directory, sent, submit, input }) => {
        await submit();
        const handle = handleOf(input);
        const decide = (deciderId: string, decision: 'APPROVE' | 'DENY') =>
          handle.executeUpdate(decideUpdate, { updateId: decisionUpdateId(input.requestId, deciderId, decision), args: [{ deciderId, decision, proof: 'proof' }] });
        const first = decide(official.id, 'APPROVE');
        await waitUntil(async () => directory.calls.includes(`recordDecision:${official.id}`));
        const second = decide(official2.id, 'DENY').catch((e: unknown) => e);
        release();
        expect(await first).toMatchObject({ status: 'APPROVED', decider: { id: official.id }, view: { status: 'APPROVED' } });
        const refused = domainErrorIn(await second);
        expect(refused).toMatchObject({ code: 'ALREADY_DECIDED', details: { status: 'APPROVED', decidedById: official.id } });
        expect(refused?.message).toMatch(/^This request was already approved by Oscar Official at /);
        await handle.result();
        // The workflow has ended: the same approve, retried, attaches to its first Update.
        expect(await decide(official.id, 'APPROVE')).toMatchObject({ status: 'APPROVED', decider: { id: official.id } });
        expect(directory.calls.filter((c) => c.startsWith('recordDecision'))).toEqual([`recordDecision:${official.id}`]);
        expect(sent).toEqual(expect.arrayContaining(['decided/requester', `decided/approver/${official.id}`]));
        await recordHistoryIfAsked(handle, 'submitted-decision-race');
      },
      (d) => (d.holdDecision = new Promise<void>((resolve) => (release = resolve))),
    );
  });

  it('refuses one’s own request before it is accepted, and a non-approver when it is recorded; the request stays decidable', async () => {
    await withRequest({ firstReminderAfterMs: DAY, reminderIntervalMs: DAY, escalateWithReminder: 3, expireAfterMs: 30 * DAY }, async ({ directory, submit, input }) => {
      await submit();
      const handle = handleOf(input);
      const own = await handle.executeUpdate(decideUpdate, { args: [{ deciderId: requester.id, decision: 'APPROVE', proof: 'p' }] }).catch((e: unknown) => e);
      expect(domainErrorIn(own)).toMatchObject({ code: 'FORBIDDEN', message: 'Nobody can decide their own request' });
      const stranger = randomUUID();
      const refused = await handle.executeUpdate(decideUpdate, { args: [{ deciderId: stranger, decision: 'APPROVE', proof: 'p' }] }).catch((e: unknown) => e);
      expect(domainErrorIn(refused)).toMatchObject({ code: 'FORBIDDEN', message: `Only a Security Official of ${organization.name} can decide this request` });
      expect(await handle.executeUpdate(decideUpdate, { args: [{ deciderId: official2.id, decision: 'DENY', reason: 'Not on staff', proof: 'p' }] })).toMatchObject({ status: 'DENIED', reason: 'Not on staff' });
      expect(directory.calls.filter((c) => c.startsWith('recordDecision'))).toEqual([`recordDecision:${stranger}`, `recordDecision:${official2.id}`]);
      await handle.result();
    });
  });

  it('a withdrawal tells the approvers its record names, without reading the request back', async () => {
    await withRequest({ firstReminderAfterMs: DAY, reminderIntervalMs: DAY, escalateWithReminder: 3, expireAfterMs: 30 * DAY }, async ({ directory, sent, submit, input }) => {
      await submit();
      const handle = handleOf(input);
      const closed = await handle.executeUpdate(withdrawUpdate, { args: [{ requesterId: requester.id, proof: 'p' }] });
      expect(closed).toMatchObject({ status: 'WITHDRAWN', view: { status: 'WITHDRAWN' } });
      // A retry is answered the withdrawal; an official's decision now is refused naming it.
      expect(await handle.executeUpdate(withdrawUpdate, { args: [{ requesterId: requester.id, proof: 'p' }] })).toMatchObject({ status: 'WITHDRAWN' });
      await handle.result();
      // Once the workflow has ended, a decision finds no workflow to take it: the service then asks the directory who closed the request.
      const late = await handle.executeUpdate(decideUpdate, { args: [{ deciderId: official.id, decision: 'APPROVE', proof: 'p' }] }).catch((e: unknown) => e);
      expect(late).toBeInstanceOf(WorkflowNotFoundError);
      expect(sent).toEqual(expect.arrayContaining(['withdrawn/requester', `withdrawn/approver/${official.id}`, `withdrawn/approver/${official2.id}`]));
      expect(directory.calls).toEqual(['recordSubmission', 'withdrawRequest']);
      await recordHistoryIfAsked(handleOf(input), 'submitted-withdraw-stubbed');
    });
  });
});

async function waitUntil(check: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
