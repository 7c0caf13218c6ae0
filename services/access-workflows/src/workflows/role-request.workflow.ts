import { allHandlersFinished, condition, setHandler, upsertMemo, upsertSearchAttributes } from '@temporalio/workflow';
import { DomainError, ERROR_CODES, REFUSALS, resubmitPath, resubmitSuggestion, ROLE_LABELS, type RequestStatus } from '@am/contracts';
import {
  decideUpdate,
  domainErrorIn,
  domainFailure,
  statusQuery,
  submitUpdate,
  escalatesWith,
  nextReminderDue,
  undoUpdate,
  withdrawUpdate,
  type ClosureRecord,
  type DecideUpdateInput,
  type DecisionRecord,
  type RequestParties,
  type RoleRequestState,
  type RoleRequestWorkflowInput,
  type UndoRecord,
} from '@am/workflow-contracts';
import { serviceActivities } from './activities';
import { approverNames, approversOf, initialState, noticeInput, type Notice } from './role-request-parts';
import { legacyRoleRequestWorkflow } from './role-request-legacy.workflow';
import { SEARCH_ATTRIBUTE_KEYS } from './search-attributes';

/**
 * The whole life of one role request (PRODUCT.md rules 1-8), from its first write: records the
 * submission (the submit Update, delivered with the start), tells the approvers and the requester,
 * waits for the first approve/deny (an Update: the caller learns synchronously whether it won) or
 * the requester's withdrawal, reminds the approvers on timers, alerts the help desk after the Nth
 * reminder, expires the request when nobody decides in time, and tells everyone concerned.
 * A denial is final only when its undo window closes (issue 17): until then any approver may undo
 * it, the request waits again, and the requester has been told nothing.
 * The directory records every transition; the workflow makes each one exactly once.
 */
export async function roleRequestWorkflow(input: RoleRequestWorkflowInput): Promise<RoleRequestState> {
  if (!input.recordsSubmission) return legacyRoleRequestWorkflow(input);
  const request = new RoleRequest(input);
  const parties = await request.opened();
  if (!parties) return request.state;
  request.announceSubmission(parties);
  do await request.remindUntilClosed(parties);
  while (!(await request.closedForGood()));
  await request.announceClosure(parties);
  return request.finished();
}

type Activities = ReturnType<typeof serviceActivities>;
type Busy = 'submission' | 'decision' | 'withdrawal' | 'expiry' | 'undo' | null;

/** The request's state, its Update handlers, and the named steps of its life. */
class RoleRequest {
  readonly state: RoleRequestState;
  private readonly directory: Activities['directory'];
  private readonly notifications: Activities['notifications'];
  /** What is being recorded right now: a decision or withdrawal arriving meanwhile waits for it. */
  private busy: Busy = null;
  private submitted: RequestParties | null = null;
  private closure: ClosureRecord | null = null;
  /** Undos accepted and not yet recorded: the undo window is not over while one is on its way. */
  private undosInFlight = 0;
  /** Set when the request is closed for good (a denial's undo window is over): nothing can be undone. */
  private final = false;
  /**
   * Notices sent before the request closes (submission, reminders, escalation) do not hold the
   * workflow up: with the mail server down, a decision's emails must not wait behind them. All are
   * awaited before the workflow ends.
   */
  private readonly sentBeforeClose: Promise<unknown>[] = [];
  /**
   * Requests paced by the program calendar (issue 19): when the workflow accepted the submission,
   * from which its reminders and expiry count, and when the last reminder was due.
   */
  private since = 0;
  private lastReminderDueAt: number | null = null;

  constructor(private readonly input: RoleRequestWorkflowInput) {
    ({ directory: this.directory, notifications: this.notifications } = serviceActivities(input.taskQueues));
    this.state = initialState(input);
    setHandler(statusQuery, () => this.state);
    setHandler(submitUpdate, (cmd) => this.recordSubmission(cmd.justification, cmd.proof), { validator: (_cmd) => this.refuseSecondSubmission() });
    setHandler(decideUpdate, (cmd) => this.recordDecision(cmd), { validator: (cmd) => this.refuseDecision(cmd.deciderId, cmd.decision) });
    setHandler(withdrawUpdate, (cmd) => this.recordWithdrawal(cmd.requesterId, cmd.proof), { validator: (cmd) => this.refuseWithdrawal(cmd.requesterId) });
    setHandler(undoUpdate, (cmd) => this.recordUndo(cmd.actorId, cmd.proof), { validator: (cmd) => this.refuseUndo(cmd.actorId) });
  }

  get isClosed(): boolean {
    return this.state.status !== 'PENDING';
  }

  // ---- Opening: the submission, delivered with the start, recorded by this workflow.

  /** Who the request concerns once it is recorded; null when the submission was refused (nothing was recorded). */
  async opened(): Promise<RequestParties | null> {
    await condition(() => this.submitted !== null || this.state.refusal != null);
    if (this.submitted) this.describe(this.submitted);
    return this.submitted;
  }

  private async recordSubmission(justification: string | undefined, proof: string) {
    this.busy = 'submission';
    this.since = Date.now();
    try {
      const recorded = await this.directory.recordSubmission({
        requestId: this.input.requestId,
        requesterId: this.input.requesterId,
        organizationId: this.input.organizationId,
        role: this.input.role,
        justification,
        proof,
        acceptedAt: new Date(this.since).toISOString(),
        ...(this.input.calendar ? { nextReminderAt: this.nextReminderAt() } : {}),
      });
      this.submitted = recorded.parties;
      return recorded.view;
    } catch (err) {
      const refusal = domainErrorIn(err);
      this.state.refusal = { code: refusal?.code ?? ERROR_CODES.INTERNAL, message: refusal?.message ?? String(err) };
      this.setStatus(this.state.status, null, 'REFUSED');
      throw refusal ? domainFailure(refusal) : err;
    } finally {
      this.busy = null;
    }
  }

  private refuseSecondSubmission() {
    if (this.busy === 'submission' || this.submitted || this.state.refusal) {
      throw domainFailure(new DomainError(ERROR_CODES.VALIDATION_FAILED, 'This request was submitted already'));
    }
  }

  // ---- Deciding and withdrawing: the first one recorded wins (rule 5).

  /** Validators run before an Update is accepted into history: a refusal leaves no trace. */
  private refuseDecision(deciderId: string, decision: string) {
    if (!this.submitted) throw notFound();
    if (deciderId === this.input.requesterId) throw domainFailure(REFUSALS.ownRequest());
    if (this.isClosed && !this.recordedDecisionOf(deciderId, decision)) throw this.closedRefusal();
  }

  private async recordDecision(cmd: DecideUpdateInput) {
    // Another decision or the withdrawal being recorded finishes first, and may close the request.
    if (this.busy) await condition(() => this.busy === null);
    if (this.isClosed) return this.sameDecisionOrRefuse(cmd.deciderId, cmd.decision);
    this.busy = 'decision';
    try {
      // The directory checks who may decide (rules 3-5) and verifies the caller proof as of now, when the Update was accepted.
      const undoWindowMs = cmd.decision === 'DENY' ? this.input.timings.denyUndoWindowMs : undefined;
      const recorded = await this.directory.recordDecision({ requestId: this.input.requestId, ...cmd, acceptedAt: new Date().toISOString(), ...(undoWindowMs ? { undoWindowMs } : {}) });
      this.state.decision = recorded;
      this.setStatus(recorded.status, recorded.decidedAt);
      return recorded;
    } catch (err) {
      throw asRefusal(err);
    } finally {
      this.busy = null;
    }
  }

  private sameDecisionOrRefuse(deciderId: string, decision: string) {
    const recorded = this.recordedDecisionOf(deciderId, decision);
    if (recorded) return recorded;
    throw this.closedRefusal();
  }

  /** The decision recorded, when it is this decider's and this decision: what a retry is answered. */
  private recordedDecisionOf(deciderId: string, decision: string) {
    const d = this.state.decision;
    return d && d.decider.id === deciderId && d.status === (decision === 'APPROVE' ? 'APPROVED' : 'DENIED') ? d : null;
  }

  /**
   * The requester may withdraw while the request is pending, or denied inside its undo window: they
   * have not been told of that denial, and the withdrawal supersedes it (issue 17).
   */
  private refuseWithdrawal(requesterId: string) {
    if (!this.submitted) throw notFound();
    if (requesterId !== this.input.requesterId) throw domainFailure(REFUSALS.notTheRequester());
    if (this.isClosed && this.state.status !== 'WITHDRAWN' && !this.undoable()) throw this.closedRefusal();
  }

  private async recordWithdrawal(requesterId: string, proof: string | undefined) {
    if (this.busy) await condition(() => this.busy === null);
    if (this.closure?.status === 'WITHDRAWN') return this.closure;
    if (this.isClosed && !this.undoable()) throw this.closedRefusal();
    this.busy = 'withdrawal';
    try {
      const closed = await this.directory.withdrawRequest({ requestId: this.input.requestId, requesterId, proof, acceptedAt: new Date().toISOString() });
      this.closure = closed;
      this.state.decision = null;
      this.setStatus(closed.status, closed.closedAt);
      return closed;
    } catch (err) {
      throw asRefusal(err);
    } finally {
      this.busy = null;
    }
  }

  // ---- Undoing a denial inside its window (issue 17).

  /** The denial recorded, while its undo window is open (workflow time). */
  private undoable(): (DecisionRecord & { undoUntil: string }) | null {
    const d = this.state.decision;
    if (this.final || this.state.status !== 'DENIED' || !d?.undoUntil) return null;
    return Date.now() < Date.parse(d.undoUntil) ? { ...d, undoUntil: d.undoUntil } : null;
  }

  /** The last undo, when it is this approver's and the request has not been decided since: what a retry is answered. */
  private recordedUndoOf(actorId: string): UndoRecord | null {
    const last = this.state.undone?.at(-1);
    return last && this.state.status === 'PENDING' && last.undoneBy.id === actorId ? last : null;
  }

  private refuseUndo(actorId: string) {
    if (!this.submitted) throw notFound();
    if (actorId === this.input.requesterId) throw domainFailure(REFUSALS.ownRequest());
    if (this.recordedUndoOf(actorId) || this.undoable()) return;
    throw domainFailure(this.notUndoable());
  }

  /** Why there is nothing to undo: the window closed (when), or the request is not a denial. */
  private notUndoable() {
    const d = this.state.decision;
    if (this.state.status === 'DENIED' && d) return REFUSALS.undoWindowClosed(d.undoUntil ?? d.decidedAt);
    return REFUSALS.notUndoable(this.state.status);
  }

  private async recordUndo(actorId: string, proof: string | undefined): Promise<UndoRecord> {
    const acceptedAt = new Date().toISOString();
    this.undosInFlight++;
    try {
      if (this.busy) await condition(() => this.busy === null);
      const retried = this.recordedUndoOf(actorId);
      if (retried) return retried;
      if (this.state.status !== 'DENIED') throw domainFailure(this.notUndoable());
      this.busy = 'undo';
      try {
        // The directory checks that the actor is an approver of the request and the window was open when this was accepted.
        const undone = await this.directory.undoDecision({ requestId: this.input.requestId, actorId, proof, acceptedAt });
        this.state.undone = [...(this.state.undone ?? []), undone];
        this.state.decision = null;
        this.setStatus('PENDING', null);
        return undone;
      } catch (err) {
        throw asRefusal(err);
      } finally {
        this.busy = null;
      }
    } finally {
      this.undosInFlight--;
    }
  }

  /**
   * Whether the request is closed for good. A denial with an undo window waits for it (a durable
   * timer): undone meanwhile, the request is pending again and waits for a decision anew;
   * withdrawn meanwhile, the withdrawal stands. Other closures are final at once.
   */
  async closedForGood(): Promise<boolean> {
    const d = this.state.decision;
    if (d?.status === 'DENIED' && d.undoUntil) {
      await condition(() => this.state.status !== 'DENIED', Math.max(Date.parse(d.undoUntil) - Date.now(), 1));
      // An undo or withdrawal accepted before the window closed is recorded before the denial is final.
      await condition(() => this.busy === null && this.undosInFlight === 0);
      if (this.state.status === 'PENDING') return false;
    }
    this.final = true;
    return true;
  }

  // ---- Waiting: reminders, escalation and expiry (rule 7).

  announceSubmission(p: RequestParties) {
    const base = this.noticeBase(p);
    this.notifyBeforeClose([
      { key: 'submitted/requester', to: p.requester, notice: { template: 'request-submitted-requester', data: { ...base, approverNames: approverNames(p) } } },
      ...approversOf(p).map(
        (a): Notice => ({
          key: `submitted/approver/${a.id}`,
          to: a,
          notice: { template: 'request-submitted-approver', data: { ...base, requesterName: p.requester.displayName, justification: p.justification } },
        }),
      ),
    ]);
  }

  /** Sleeps until the next reminder or the expiry, whichever is first, until the request closes. */
  async remindUntilClosed(p0: RequestParties) {
    const t = this.input.timings;
    // Requests started before issue 19 count from the recorded submission, at the one pace of `timings`.
    const since = this.input.calendar ? this.since : Date.parse(p0.submittedAt);
    while (!this.isClosed) {
      const reminderAt = this.reminderDueAt(since);
      const wakeAt = Math.min(reminderAt, since + t.expireAfterMs);
      if (await condition(() => this.isClosed, Math.max(wakeAt - Date.now(), 1))) break;
      if (this.busy) {
        await condition(() => this.busy === null);
        continue;
      }
      if (Date.now() - since >= t.expireAfterMs) {
        await this.expire();
        break;
      }
      await this.remind(this.state.remindersSent + 1, p0, reminderAt);
    }
  }

  /**
   * When the next reminder is due: counted from the last one (or the submission) at the pace the
   * program calendar sets at each instant (issue 19), or, for requests started before, at the
   * first reminder's delay and then every interval.
   */
  private reminderDueAt(since: number, sent = this.state.remindersSent, lastDueAt = this.lastReminderDueAt): number {
    const t = this.input.timings;
    if (!this.input.calendar) return since + t.firstReminderAfterMs + sent * t.reminderIntervalMs;
    return nextReminderDue(t, this.input.calendar, lastDueAt ?? since, sent);
  }

  /** The next reminder as the request view shows it: null when the request expires first. */
  private nextReminderAt(sent = this.state.remindersSent, lastDueAt = this.lastReminderDueAt): string | null {
    const due = this.reminderDueAt(this.since, sent, lastDueAt);
    const next = due < this.since + this.input.timings.expireAfterMs ? new Date(due).toISOString() : null;
    this.state.nextReminderAt = next;
    return next;
  }

  private async expire() {
    this.busy = 'expiry';
    const closed = await this.directory.expireRequest({ requestId: this.input.requestId });
    this.closure = closed;
    this.setStatus(closed.status, closed.closedAt);
    this.busy = null;
  }

  /** Reminder n to the approvers as they are now, with the help desk alerted on the configured one. */
  private async remind(n: number, p0: RequestParties, dueAt: number) {
    const p = await this.refreshParties();
    const base = { ...this.noticeBase(p0), requesterName: p.requester.displayName, submittedAt: p0.submittedAt };
    const calendar = this.input.calendar;
    const escalate = calendar ? escalatesWith(this.input.timings, calendar, n, Date.now(), this.state.escalated) : n === this.input.timings.escalateWithReminder;
    const reminded = approversOf(p);
    this.notifyBeforeClose(reminded.map((a) => ({ key: `reminder-${n}/${a.id}`, to: a, notice: { template: 'request-reminder', data: { ...base, reminder: n } } })));
    if (escalate) {
      const notices = p.helpDesk.map(
        (h): Notice => ({ key: `escalated/${h.id}`, to: h, notice: { template: 'request-escalated', data: { ...base, reminders: n, approverNames: approverNames(p) } } }),
      );
      this.notifyBeforeClose(notices);
      this.state.escalated = true;
    }
    const next = calendar ? { nextReminderAt: this.nextReminderAt(n, dueAt) } : {};
    await this.directory.recordReminder({ requestId: this.input.requestId, reminder: n, escalated: escalate, notified: reminded.map((a) => a.id), ...next });
    this.state.remindersSent = n;
    this.lastReminderDueAt = dueAt;
  }

  // ---- Closing: tell everyone concerned how it ended.

  async announceClosure(p0: RequestParties) {
    const base = this.noticeBase(p0);
    const requester = p0.requester;
    const d = this.state.decision;
    if (d) {
      await this.send([
        { key: 'decided/requester', to: d.requester, notice: { template: 'request-decided', data: { ...base, decision: d.status, deciderName: d.decider.displayName, reason: d.reason, ...denialOf(d, p0) } } },
        { key: `decided/approver/${d.decider.id}`, to: d.decider, notice: { template: 'decision-confirmed', data: { ...base, decision: d.status, requesterName: d.requester.displayName } } },
      ]);
    } else if (this.state.status === 'WITHDRAWN') {
      // The withdrawal itself answered who could decide it then.
      const approvers = this.closure?.approvers ?? approversOf(p0);
      const withdrawn = (audience: 'requester' | 'approver') => ({ template: 'request-withdrawn' as const, data: { ...base, requesterName: requester.displayName, audience } });
      await this.send([
        { key: 'withdrawn/requester', to: requester, notice: withdrawn('requester') },
        ...approvers.map((a): Notice => ({ key: `withdrawn/approver/${a.id}`, to: a, notice: withdrawn('approver') })),
      ]);
    } else if (this.state.status === 'EXPIRED') {
      await this.send([{ key: 'expired/requester', to: requester, notice: { template: 'request-expired', data: { ...base, submittedAt: p0.submittedAt } } }]);
    }
  }

  async finished(): Promise<RoleRequestState> {
    await Promise.all(this.sentBeforeClose);
    await condition(allHandlersFinished);
    return this.state;
  }

  // ---- Parts.

  private describe(p: RequestParties) {
    this.state.requester = { id: p.requester.id, displayName: p.requester.displayName };
    this.state.organization = p.organization;
    this.state.approvers = approverNames(p);
    upsertMemo({ requester: p.requester.displayName, organization: p.organization.name, role: ROLE_LABELS[this.input.role] });
  }

  private async refreshParties(): Promise<RequestParties> {
    const p = await this.directory.getRequestParties({ requestId: this.input.requestId });
    this.state.approvers = approverNames(p);
    return p;
  }

  private setStatus(status: RequestStatus, closedAt: string | null, searchStatus: string = status) {
    this.state.status = status;
    this.state.closedAt = closedAt;
    if (this.input.calendar && this.submitted) {
      if (status === 'PENDING') this.nextReminderAt();
      else this.state.nextReminderAt = null;
    }
    upsertSearchAttributes([{ key: SEARCH_ATTRIBUTE_KEYS.requestStatus, value: searchStatus }]);
  }

  private noticeBase(p: RequestParties) {
    return { requestId: this.input.requestId, role: this.input.role, organizationName: p.organization.name };
  }

  /** The notices of one step, in one activity; each is sent exactly once (its idempotency key). */
  private send(notices: Notice[]): Promise<unknown> {
    if (notices.length === 0) return Promise.resolve();
    return this.notifications.sendNotifications(notices.map((n) => noticeInput(this.input.requestId, n)));
  }

  private notifyBeforeClose(notices: Notice[]) {
    this.sentBeforeClose.push(this.send(notices));
  }

  /** The refusal of a decision or withdrawal on a request that is no longer pending: who did what, when. */
  private closedRefusal() {
    const s = this.state;
    const by = s.decision?.decider ?? (s.status === 'WITHDRAWN' ? s.requester : null);
    return domainFailure(REFUSALS.alreadyClosed({ status: s.status, closedBy: by, closedAt: s.closedAt }));
  }
}

/** A denial's code and the suggestion fitted to it, for the requester's email (issue 17). */
function denialOf(d: DecisionRecord, p: RequestParties) {
  if (d.status !== 'DENIED') return {};
  const reasonCode = d.reasonCode ?? 'OTHER';
  const suggestion = resubmitSuggestion(reasonCode, { organizationId: p.organization.id, organizationName: p.organization.name, role: d.role });
  return { reasonCode, resubmitHint: suggestion.hint, resubmitPath: resubmitPath(d.requestId, reasonCode, suggestion) };
}

function notFound() {
  return domainFailure(REFUSALS.noSuchRequest());
}

/** An activity's refusal, rethrown as the Update's own failure in the one shape; anything else as it came. */
function asRefusal(err: unknown): unknown {
  const refusal = domainErrorIn(err);
  return refusal ? domainFailure(refusal) : err;
}
