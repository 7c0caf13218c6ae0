// Requests opened before issue 16 (their directory row written first, then the workflow started)
// run this code, unchanged in what it schedules, so their recorded histories replay: see
// docs/WORKFLOW-VERSIONING.md. Validators and failure shapes may change (they leave no history).
// Delete once no execution started without `recordsSubmission` is open (30 days after the deploy
// plus the retention period).
import {
  allHandlersFinished,
  condition,
  patched,
  setHandler,
  upsertMemo,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { DomainError, ERROR_CODES, REFUSALS, ROLE_LABELS, type RequestStatus } from '@am/contracts';
import {
  decideUpdate,
  domainFailure,
  statusQuery,
  withdrawUpdate,
  type AlreadyDecidedDetails,
  type RequestParties,
  type RoleRequestState,
  type RoleRequestWorkflowInput,
} from '@am/workflow-contracts';
import { serviceActivities } from './activities';
import { approverNames, approversOf, initialState, noticeInput, type Notice } from './role-request-parts';
import { SEARCH_ATTRIBUTE_KEYS } from './search-attributes';

/**
 * The life of a role request opened the old way (PRODUCT.md rules 3-8): tells the approvers and the requester,
 * waits for the first approve/deny (an Update, so the caller learns synchronously whether it won)
 * or the requester's withdrawal, reminds the approvers on timers, alerts the help desk after the
 * Nth reminder, expires the request when nobody decides in time, and tells everyone concerned.
 * The directory records every transition; the workflow makes each one exactly once.
 */
export async function legacyRoleRequestWorkflow(input: RoleRequestWorkflowInput): Promise<RoleRequestState> {
  const { directory, notifications } = serviceActivities(input.taskQueues);

  const state = initialState(input);
  // What is being recorded right now: while set, no other decision or withdrawal is accepted.
  let busy: 'decision' | 'withdrawal' | 'expiry' | null = null;
  let parties: RequestParties | null = null;

  const setStatus = (status: RequestStatus, closedAt: string | null) => {
    state.status = status;
    state.closedAt = closedAt;
    upsertSearchAttributes([{ key: SEARCH_ATTRIBUTE_KEYS.requestStatus, value: status }]);
  };
  const refreshParties = async () => {
    parties = await directory.getRequestParties({ requestId: input.requestId });
    state.requester = { id: parties.requester.id, displayName: parties.requester.displayName };
    state.organization = parties.organization;
    state.approvers = approverNames(parties);
    return parties;
  };
  const inputOf = (n: Notice) => noticeInput(input.requestId, n);
  // Since this patch the notices of one step (to the approvers; to requester and decider) go out in
  // one activity instead of one each: four activities for an approved request instead of six
  // (docs/BENCHMARKS.md). Executions started before it keep one activity per notice.
  const batched = patched('notifications-batched');
  const send = (notices: Notice[]): Promise<unknown> => {
    if (notices.length === 0) return Promise.resolve();
    if (batched) return notifications.sendNotifications(notices.map(inputOf));
    return Promise.all(notices.map((n) => notifications.sendNotification(inputOf(n))));
  };

  // Notices sent before the request closes (on submit, reminders, escalation). Since this patch
  // they no longer hold the workflow up: with the mail server down for a while, a decision's
  // pop-up and emails must not wait behind the submission emails' retries (rules 13-14). They are
  // all awaited before the workflow ends. Executions started before the patch keep awaiting each.
  const notifyWithoutWaiting = patched('notifications-do-not-block');
  const sentBeforeClose: Promise<unknown>[] = [];
  const notifyAll = async (notices: Notice[]) => {
    const sending = send(notices);
    if (notifyWithoutWaiting) sentBeforeClose.push(sending);
    else await sending;
  };

  setHandler(statusQuery, () => state);

  // Validators run before an Update is accepted into history: a refusal leaves no trace, and the
  // caller gets it at once. Whether the caller is an approver at all is answered by the directory,
  // which knows the current Security Officials (checked before the Update, and again in the
  // transaction that records the decision); the workflow refuses what it knows better: that the
  // request is no longer pending, or that a decision is being recorded right now.
  const refuseUnlessOpen = () => {
    if (state.status !== 'PENDING') throw closedRefusal(state, parties);
    if (busy) {
      const details: AlreadyDecidedDetails = { status: 'PENDING', decidedBy: null, decidedById: null, decidedAt: null };
      throw domainFailure(new DomainError(ERROR_CODES.ALREADY_DECIDED, `A ${busy} of this request is being recorded: try again shortly`, undefined, { ...details }));
    }
  };

  setHandler(
    decideUpdate,
    async (cmd) => {
      busy = 'decision';
      try {
        // The directory verifies the caller proof as of now, when the Update was accepted (issue 14).
        const recorded = await directory.recordDecision({ requestId: input.requestId, ...cmd, acceptedAt: new Date().toISOString() });
        state.decision = recorded;
        setStatus(recorded.status, recorded.decidedAt);
        return recorded;
      } finally {
        busy = null;
      }
    },
    {
      validator: (cmd) => {
        refuseUnlessOpen();
        if (cmd.deciderId === input.requesterId) {
          throw domainFailure(REFUSALS.ownRequest());
        }
      },
    },
  );

  setHandler(
    withdrawUpdate,
    async (cmd) => {
      busy = 'withdrawal';
      try {
        const closed = await directory.withdrawRequest({ requestId: input.requestId, requesterId: cmd.requesterId, proof: cmd.proof, acceptedAt: new Date().toISOString() });
        setStatus(closed.status, closed.closedAt);
        return closed;
      } finally {
        busy = null;
      }
    },
    {
      validator: (cmd) => {
        if (cmd.requesterId !== input.requesterId) {
          throw domainFailure(REFUSALS.notTheRequester());
        }
        refuseUnlessOpen();
      },
    },
  );

  const p0 = await refreshParties();
  upsertMemo({ requester: p0.requester.displayName, organization: p0.organization.name, role: ROLE_LABELS[input.role] });
  if (p0.status !== 'PENDING') {
    // The directory had closed the request when the workflow read it. Either another run closed it
    // before this one started (a reconciler race: the directory is the record, nothing to tell),
    // or an Update of this very workflow did, a decision arriving while the workflow was still
    // reading its parties: that one goes on to tell everyone below. Before this patch the workflow
    // ended here in both cases, and the decision's emails were never sent.
    if (patched('closed-during-start-still-notifies')) {
      await condition(() => busy === null);
      if (state.status === 'PENDING') {
        setStatus(p0.status, null);
        return state;
      }
    } else {
      setStatus(p0.status, null);
      return state;
    }
  }
  const base = { requestId: input.requestId, role: input.role, organizationName: p0.organization.name };
  const submittedAt = p0.submittedAt;
  await notifyAll([
    { key: 'submitted/requester', to: p0.requester, notice: { template: 'request-submitted-requester', data: { ...base, approverNames: approverNames(p0) } } },
    ...approversOf(p0).map(
      (a): Notice => ({
        key: `submitted/approver/${a.id}`,
        to: a,
        notice: { template: 'request-submitted-approver', data: { ...base, requesterName: p0.requester.displayName, justification: p0.justification } },
      }),
    ),
  ]);

  // Reminders, escalation and expiry, timed from the start with the durations fixed in the input.
  const t = input.timings;
  const startedAt = workflowInfo().startTime.getTime();
  const isClosed = () => state.status !== 'PENDING';
  while (!isClosed()) {
    const nextReminderAt = t.firstReminderAfterMs + state.remindersSent * t.reminderIntervalMs;
    const wakeAt = Math.min(nextReminderAt, t.expireAfterMs);
    if (await condition(isClosed, Math.max(wakeAt - (Date.now() - startedAt), 1))) break;
    // A decision or withdrawal being recorded finishes first: it may close the request.
    if (busy) {
      await condition(() => busy === null);
      continue;
    }
    if (Date.now() - startedAt >= t.expireAfterMs) {
      busy = 'expiry';
      const closed = await directory.expireRequest({ requestId: input.requestId });
      setStatus(closed.status, closed.closedAt);
      busy = null;
      break;
    }
    const n = state.remindersSent + 1;
    const p = await refreshParties();
    const escalate = n === t.escalateWithReminder;
    const reminded = approversOf(p);
    await notifyAll(
      reminded.map((a) => ({
        key: `reminder-${n}/${a.id}`,
        to: a,
        notice: { template: 'request-reminder', data: { ...base, requesterName: p.requester.displayName, reminder: n, submittedAt } },
      })),
    );
    if (escalate) {
      await notifyAll(
        p.helpDesk.map((h) => ({
          key: `escalated/${h.id}`,
          to: h,
          notice: { template: 'request-escalated', data: { ...base, requesterName: p.requester.displayName, reminders: n, submittedAt, approverNames: approverNames(p) } },
        })),
      );
      state.escalated = true;
    }
    await directory.recordReminder({ requestId: input.requestId, reminder: n, escalated: escalate, notified: reminded.map((a) => a.id) });
    state.remindersSent = n;
  }

  // Tell everyone concerned how it ended.
  const requester = p0.requester;
  if (state.decision) {
    const d = state.decision;
    await send([
      { key: 'decided/requester', to: d.requester, notice: { template: 'request-decided', data: { ...base, decision: d.status, deciderName: d.decider.displayName, reason: d.reason } } },
      { key: `decided/approver/${d.decider.id}`, to: d.decider, notice: { template: 'decision-confirmed', data: { ...base, decision: d.status, requesterName: d.requester.displayName } } },
    ]);
  } else if (state.status === 'WITHDRAWN') {
    const p = await refreshParties();
    await send([
      { key: 'withdrawn/requester', to: requester, notice: { template: 'request-withdrawn', data: { ...base, requesterName: requester.displayName, audience: 'requester' } } },
      ...approversOf(p).map(
        (a): Notice => ({ key: `withdrawn/approver/${a.id}`, to: a, notice: { template: 'request-withdrawn', data: { ...base, requesterName: requester.displayName, audience: 'approver' } } }),
      ),
    ]);
  } else if (state.status === 'EXPIRED') {
    await send([{ key: 'expired/requester', to: requester, notice: { template: 'request-expired', data: { ...base, submittedAt } } }]);
  }
  await Promise.all(sentBeforeClose);
  await condition(allHandlersFinished);
  return state;
}

/** The refusal of a decision or withdrawal on a request that is no longer pending: who did what, when. */
function closedRefusal(state: RoleRequestState, parties: RequestParties | null) {
  const by =
    state.decision?.decider ?? (state.status === 'WITHDRAWN' && parties ? { id: parties.requester.id, displayName: parties.requester.displayName } : null);
  return domainFailure(REFUSALS.alreadyClosed({ status: state.status, closedBy: by, closedAt: state.closedAt }));
}
