// The role-request workflow at the workflow level (issue 16): the real workflow code on the real
// Temporal dev server, with the directory's and notifications' activities stubbed in this process.
// Timers run with durations of a few seconds (the same code path as the days-long defaults), so
// reminders, escalation and expiry are exercised without a second stack of services.
import { randomUUID } from 'node:crypto';
import { Client, WithStartWorkflowOperation, WorkflowNotFoundError, WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import { NativeConnection, Worker, type WorkflowBundle } from '@temporalio/worker';
import { DomainError, ERROR_CODES, type RoleRequestView } from '@am/contracts';
import {
  decideUpdate,
  decisionUpdateId,
  domainErrorIn,
  domainFailure,
  ROLE_REQUEST_WORKFLOW,
  roleRequestWorkflowId,
  submitUpdate,
  undoUpdate,
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
  type UndoDecisionInput,
  type UndoRecord,
} from '@am/workflow-contracts';
import { recordHistoryIfAsked, testStack, waitUntil, workflowLevel } from './workflow-level';

const DAY = 86_400_000;
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
  deciders = new Set<string>([official.id, official2.id]);
  /** When the submission was recorded: now, unless a test sets it. */
  submittedAt: string | null = null;
  status: RequestParties['status'] = 'PENDING';
  decided: DecisionRecord | null = null;
  /** Holds recordDecision until released, to line two decisions up. */
  holdDecision: Promise<void> | null = null;
  /** Holds undoDecision until released. */
  holdUndo: Promise<void> | null = null;
  /** Holds every notice until released (the workflow then cannot finish). */
  holdNotices: Promise<void> | null = null;
  undoUntil: string | null = null;

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
      undoUntil: this.status === 'DENIED' ? this.undoUntil : null,
      nextReminderAt: null,
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
        const decidedAt = new Date();
        this.undoUntil = status === 'DENIED' && input.undoWindowMs ? new Date(decidedAt.getTime() + input.undoWindowMs).toISOString() : null;
        this.decided = { requestId: this.requestId, status, role: 'STAFF_USER', reason: input.reason ?? null, decidedAt: decidedAt.toISOString(), decider, requester, organization, undoUntil: this.undoUntil };
        return { ...this.decided, view: this.view() };
      },
      undoDecision: async (input: UndoDecisionInput): Promise<UndoRecord> => {
        this.calls.push(`undoDecision:${input.actorId}`);
        await this.holdUndo;
        const d = this.decided;
        if (this.status !== 'DENIED' || !d || !this.undoUntil) throw domainFailure(new DomainError(ERROR_CODES.NOT_UNDOABLE, 'not a denial'));
        if (Date.parse(input.acceptedAt) >= Date.parse(this.undoUntil)) throw domainFailure(new DomainError(ERROR_CODES.UNDO_WINDOW_CLOSED, 'closed'));
        const actor = [official, official2].find((o) => o.id === input.actorId)!;
        this.status = 'PENDING';
        this.decided = null;
        this.undoUntil = null;
        return {
          requestId: this.requestId,
          undoneAt: new Date().toISOString(),
          undoneBy: actor,
          undone: { deciderId: d.decider.id, deciderName: d.decider.displayName, decidedAt: d.decidedAt, reasonCode: null },
          view: this.view(),
        };
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
  const temporal = workflowLevel();
  let connection: NativeConnection;
  let client: Client;
  let workflowBundle: WorkflowBundle;

  beforeAll(async () => {
    await temporal.open();
    ({ connection, client, workflowBundle } = temporal.get());
  }, 120_000);

  afterAll(() => temporal.close());

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
    const notifications: Partial<NotificationActivities> = {
      sendNotifications: async (inputs) => {
        await directory.holdNotices;
        return inputs.map(record);
      },
    };
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
        // One Update id for the winner's call and its retry (the service picks one per call).
        const decide = (deciderId: string, decision: 'APPROVE' | 'DENY') =>
          handle.executeUpdate(decideUpdate, { updateId: decisionUpdateId(input.requestId, deciderId, decision, 'call-1'), args: [{ deciderId, decision, proof: 'proof' }] });
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

  // ---- Issue 17: a denial is final only when its undo window closes.

  const UNDO = { firstReminderAfterMs: DAY, reminderIntervalMs: DAY, escalateWithReminder: 3, expireAfterMs: 30 * DAY, denyUndoWindowMs: 60_000 };
  const deny = (handle: WorkflowHandle, deciderId = official.id) => handle.executeUpdate(decideUpdate, { args: [{ deciderId, decision: 'DENY', reasonCode: 'WRONG_ROLE', proof: 'p' }] });
  const undo = (handle: WorkflowHandle, actorId = official.id) => handle.executeUpdate(undoUpdate, { args: [{ actorId, proof: 'p' }] });
  const approve = (handle: WorkflowHandle, deciderId = official2.id) => handle.executeUpdate(decideUpdate, { args: [{ deciderId, decision: 'APPROVE', proof: 'p' }] });
  const events = async (handle: WorkflowHandle) => (await handle.fetchHistory()).events!;

  it('an undone denial is never told: the request waits again, the same official may deny it again, and an approval ends it', async () => {
    await withRequest(UNDO, async ({ directory, sent, submit, input }) => {
      await submit();
      const handle = handleOf(input);
      const denied = await deny(handle);
      expect(denied).toMatchObject({ status: 'DENIED', undoUntil: expect.any(String), view: { status: 'DENIED', undoUntil: denied.undoUntil } });
      // The undo window is a durable timer of the configured length.
      await waitUntil(async () => (await timerDurationsMs(input)).some((ms) => ms > 55_000 && ms <= 60_000));
      // The other official undoes it; the request is pending again, and its status says so.
      expect(await undo(handle, official2.id)).toMatchObject({ undoneBy: { id: official2.id }, undone: { deciderId: official.id }, view: { status: 'PENDING' } });
      expect(await handle.query('status')).toMatchObject({ status: 'PENDING', decision: null, undone: [{ undoneBy: { id: official2.id } }] });
      // Denied again by the same official (a new call: a new Update), undone again, then approved.
      expect(await deny(handle)).toMatchObject({ status: 'DENIED' });
      expect(await undo(handle)).toMatchObject({ view: { status: 'PENDING' } });
      expect(await approve(handle)).toMatchObject({ status: 'APPROVED', decider: { id: official2.id } });
      const final = (await handle.result()) as RoleRequestState;
      expect(final).toMatchObject({ status: 'APPROVED', undone: [{}, {}] });
      // The requester heard of the approval only; the two undo timers were cancelled, not fired.
      expect(sent.filter((k) => k.startsWith('decided/')).sort()).toEqual([`decided/approver/${official2.id}`, 'decided/requester']);
      const history = await events(handle);
      const undoTimers = history.filter((e) => e.timerStartedEventAttributes && Number(e.timerStartedEventAttributes.startToFireTimeout!.seconds) <= 60).map((e) => String(e.eventId));
      expect(undoTimers).toHaveLength(2);
      const cancelled = history.filter((e) => e.timerCanceledEventAttributes).map((e) => String(e.timerCanceledEventAttributes!.startedEventId));
      expect(cancelled).toEqual(expect.arrayContaining(undoTimers));
      expect(history.filter((e) => e.timerFiredEventAttributes)).toHaveLength(0);
      expect(directory.calls.filter((c) => /^(recordDecision|undoDecision)/.test(c))).toEqual([
        `recordDecision:${official.id}`,
        `undoDecision:${official2.id}`,
        `recordDecision:${official.id}`,
        `undoDecision:${official.id}`,
        `recordDecision:${official2.id}`,
      ]);
      await recordHistoryIfAsked(handle, 'submitted-deny-undone');
    });
  });

  it('a denial becomes final when its window closes: then the requester is told, and an undo is refused naming when it closed', async () => {
    await withRequest({ ...UNDO, denyUndoWindowMs: 1500 }, async ({ sent, submit, input }) => {
      await submit();
      const handle = handleOf(input);
      const denied = await deny(handle);
      // Nothing reaches the requester while the window is open.
      expect(sent).not.toContain('decided/requester');
      const final = (await handle.result()) as RoleRequestState;
      expect(final).toMatchObject({ status: 'DENIED', decision: { undoUntil: denied.undoUntil } });
      expect(sent).toEqual(expect.arrayContaining(['decided/requester', `decided/approver/${official.id}`]));
      const history = await events(handle);
      const fired = history.findIndex((e) => e.timerFiredEventAttributes);
      const told = history.findIndex((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'sendNotifications' && history.indexOf(e) > fired);
      expect(fired).toBeGreaterThan(0);
      expect(told).toBeGreaterThan(fired);
      await recordHistoryIfAsked(handle, 'submitted-deny-final');
    });
  });

  it('refuses to undo: a pending request, one’s own, after the window (naming when it closed), and an approval', async () => {
    let release!: () => void;
    const holdNotices = (d: FakeDirectory) => (d.holdNotices = new Promise<void>((resolve) => (release = resolve)));
    await withRequest(
      { ...UNDO, denyUndoWindowMs: 1500 },
      async ({ directory, submit, input }) => {
        await submit();
        const handle = handleOf(input);
        expect(domainErrorIn(await undo(handle).catch((e: unknown) => e))).toMatchObject({ code: 'NOT_UNDOABLE', message: 'There is nothing to undo: this request is pending' });
        expect(domainErrorIn(await undo(handle, requester.id).catch((e: unknown) => e))).toMatchObject({ code: 'FORBIDDEN' });
        const denied = await deny(handle);
        // The window closes; the workflow is still telling everyone (its notices are held), and refuses the undo itself.
        await waitUntil(async () => (await events(handle)).some((e) => e.timerFiredEventAttributes));
        const late = domainErrorIn(await undo(handle).catch((e: unknown) => e));
        expect(late).toMatchObject({ code: 'UNDO_WINDOW_CLOSED', details: { undoUntil: denied.undoUntil } });
        expect(late?.message).toBe(`The undo window of this denial closed at ${denied.undoUntil}: the denial is final`);
        release();
        await handle.result();
        // Refused before acceptance: no undo reached the directory.
        expect(directory.calls.filter((c) => c.startsWith('undoDecision'))).toEqual([]);
      },
      holdNotices,
    );
    await withRequest(
      UNDO,
      async ({ submit, input }) => {
        await submit();
        const handle = handleOf(input);
        await approve(handle);
        expect(domainErrorIn(await undo(handle).catch((e: unknown) => e))).toMatchObject({
          code: 'NOT_UNDOABLE',
          message: 'Approvals cannot be undone: the role was granted at once. Remove the access instead',
        });
        release();
        await handle.result();
      },
      holdNotices,
    );
  });

  it('an undo and an approval at the same instant: the approval waits for the undo and then wins; one outcome', async () => {
    let release!: () => void;
    await withRequest(
      UNDO,
      async ({ directory, sent, submit, input }) => {
        await submit();
        const handle = handleOf(input);
        await deny(handle);
        const undoing = undo(handle);
        await waitUntil(async () => directory.calls.includes(`undoDecision:${official.id}`));
        // While the undo is being recorded the request is still denied: the approval is refused, naming the denial.
        const meanwhile = domainErrorIn(await approve(handle).catch((e: unknown) => e));
        expect(meanwhile).toMatchObject({ code: 'ALREADY_DECIDED', details: { status: 'DENIED', decidedById: official.id } });
        release();
        expect(await undoing).toMatchObject({ view: { status: 'PENDING' } });
        expect(await approve(handle)).toMatchObject({ status: 'APPROVED' });
        expect(await handle.result()).toMatchObject({ status: 'APPROVED' });
        expect(sent.filter((k) => k === 'decided/requester')).toHaveLength(1);
        await recordHistoryIfAsked(handle, 'submitted-undo-race');
      },
      (d) => (d.holdUndo = new Promise<void>((resolve) => (release = resolve))),
    );
  });

  it('the requester withdraws inside the window: the withdrawal stands, the denial is never told', async () => {
    await withRequest(UNDO, async ({ directory, sent, submit, input }) => {
      await submit();
      const handle = handleOf(input);
      await deny(handle);
      expect(await handle.executeUpdate(withdrawUpdate, { args: [{ requesterId: requester.id, proof: 'p' }] })).toMatchObject({ status: 'WITHDRAWN' });
      expect(await handle.result()).toMatchObject({ status: 'WITHDRAWN', decision: null });
      expect(sent).toEqual(expect.arrayContaining(['withdrawn/requester', `withdrawn/approver/${official.id}`]));
      expect(sent.filter((k) => k.startsWith('decided/'))).toEqual([]);
      expect(directory.calls.filter((c) => c !== 'getRequestParties')).toEqual(['recordSubmission', `recordDecision:${official.id}`, 'withdrawRequest']);
      await recordHistoryIfAsked(handle, 'submitted-deny-withdrawn');
    });
  });
});
