import { allHandlersFinished, condition, setHandler, upsertMemo } from '@temporalio/workflow';
import { DomainError, ERROR_CODES, NOMINATION_REFUSALS, STATUS_OF_RESPONSE, type NominationResponse, type NominationView } from '@am/contracts';
import {
  domainErrorIn,
  domainFailure,
  nominateUpdate,
  nominationStatusQuery,
  respondUpdate,
  type NominationOutcome,
  type NominationRecord,
  type NominationState,
  type NominationWorkflowInput,
  type NotificationInput,
  type NotificationTemplate,
  type Person,
  type RespondUpdateInput,
} from '@am/workflow-contracts';
import { serviceActivities } from './activities';

/**
 * The whole life of one nomination of a backup Security Official (issue 18), from its first write:
 * records it (the nominate Update, delivered with the start), tells the nominee, waits for their
 * answer (the respond Update: the first one recorded wins) or the expiry, counted from when the
 * nomination was recorded, and tells the nominator how it ended. The directory records every
 * transition; the workflow makes each one exactly once.
 */
export async function nominationWorkflow(input: NominationWorkflowInput): Promise<NominationState> {
  const nomination = new Nomination(input);
  const record = await nomination.opened();
  if (!record) return nomination.state;
  nomination.announce(record);
  await nomination.answeredOrExpired(record);
  await nomination.announceOutcome(record);
  return nomination.finished();
}

type Activities = ReturnType<typeof serviceActivities>;

/** One notice of a nomination: its key within the nomination, to whom, what it says. */
interface Notice {
  key: string;
  to: Person;
  notice: NotificationTemplate;
}

class Nomination {
  readonly state: NominationState;
  private readonly directory: Activities['directory'];
  private readonly notifications: Activities['notifications'];
  private record: NominationRecord | null = null;
  /** What is being recorded right now: an answer arriving meanwhile waits for it. */
  private busy: 'nomination' | 'response' | 'expiry' | null = null;
  /** The nominee's notice does not hold the answer up; it is awaited before the workflow ends. */
  private readonly sentBeforeClose: Promise<unknown>[] = [];

  constructor(private readonly input: NominationWorkflowInput) {
    ({ directory: this.directory, notifications: this.notifications } = serviceActivities(input.taskQueues));
    this.state = { nominationId: input.nominationId, status: 'PENDING', organization: null, nominee: null, nominator: null, outcome: null, refusal: null };
    setHandler(nominationStatusQuery, () => this.state);
    setHandler(nominateUpdate, (cmd) => this.recordNomination(cmd.message, cmd.proof), { validator: (_cmd) => this.refuseSecondNomination() });
    setHandler(respondUpdate, (cmd) => this.recordResponse(cmd), { validator: (cmd) => this.refuseResponse(cmd.nomineeId, cmd.response) });
  }

  get isClosed(): boolean {
    return this.state.status !== 'PENDING';
  }

  // ---- Opening: the nomination, delivered with the start, recorded by this workflow.

  /** The nomination once it is recorded; null when it was refused (nothing was recorded). */
  async opened(): Promise<NominationRecord | null> {
    await condition(() => this.record !== null || this.state.refusal !== null);
    return this.record;
  }

  private async recordNomination(message: string | undefined, proof: string): Promise<NominationView> {
    this.busy = 'nomination';
    try {
      const recorded = await this.directory.recordNomination({
        nominationId: this.input.nominationId,
        organizationId: this.input.organizationId,
        nominatorId: this.input.nominatorId,
        nominee: this.input.nominee,
        message,
        proof,
        acceptedAt: new Date().toISOString(),
        expiresAfterMs: this.input.expiresAfterMs,
      });
      this.describe(recorded);
      this.record = recorded;
      return recorded.view;
    } catch (err) {
      const refusal = domainErrorIn(err);
      this.state.refusal = { code: refusal?.code ?? ERROR_CODES.INTERNAL, message: refusal?.message ?? String(err) };
      throw refusal ? domainFailure(refusal) : err;
    } finally {
      this.busy = null;
    }
  }

  private refuseSecondNomination() {
    if (this.busy === 'nomination' || this.record || this.state.refusal) {
      throw domainFailure(new DomainError(ERROR_CODES.VALIDATION_FAILED, 'This nomination was made already'));
    }
  }

  // ---- Answering: the first answer recorded wins; the expiry is one more contender.

  /** Validators run before an Update is accepted into history: a refusal leaves no trace. */
  private refuseResponse(nomineeId: string, response: NominationResponse) {
    if (!this.record) throw domainFailure(NOMINATION_REFUSALS.noSuchNomination());
    if (nomineeId !== this.record.nominee.id) throw domainFailure(NOMINATION_REFUSALS.notTheNominee());
    if (this.busy === 'expiry' || (this.isClosed && !this.recordedAnswerOf(response))) throw this.closedRefusal();
  }

  private async recordResponse(cmd: RespondUpdateInput): Promise<NominationView> {
    // An answer or the expiry being recorded finishes first, and may close the nomination.
    if (this.busy) await condition(() => this.busy === null);
    if (this.isClosed) {
      const recorded = this.recordedAnswerOf(cmd.response);
      if (recorded) return recorded.view;
      throw this.closedRefusal();
    }
    this.busy = 'response';
    try {
      // The directory checks the nominee and, for an acceptance, that the nominator still is a Security Official (under the organization's lock).
      const outcome = await this.directory.recordNominationResponse({ nominationId: this.input.nominationId, ...cmd, acceptedAt: new Date().toISOString() });
      this.close(outcome);
      return outcome.view;
    } catch (err) {
      const refusal = domainErrorIn(err);
      throw refusal ? domainFailure(refusal) : err;
    } finally {
      this.busy = null;
    }
  }

  /** The outcome recorded, when it is this answer: what a retry is answered. */
  private recordedAnswerOf(response: NominationResponse): NominationOutcome | null {
    const o = this.state.outcome;
    return o && o.status === STATUS_OF_RESPONSE[response] ? o : null;
  }

  /** Sleeps until the nominee answers or the nomination expires, counted from when it was recorded. */
  async answeredOrExpired(record: NominationRecord) {
    const expiresAt = Date.parse(record.view.createdAt) + this.input.expiresAfterMs;
    while (!this.isClosed) {
      if (await condition(() => this.isClosed, Math.max(expiresAt - Date.now(), 1))) break;
      if (this.busy) {
        // An answer accepted before the expiry is recorded first; it may close the nomination.
        await condition(() => this.busy === null);
        continue;
      }
      this.busy = 'expiry';
      try {
        this.close(await this.directory.expireNomination({ nominationId: this.input.nominationId }));
      } finally {
        this.busy = null;
      }
    }
  }

  // ---- Telling: the nominee when nominated, the nominator how it ended; each notice exactly once.

  announce(record: NominationRecord) {
    const notice: Notice = {
      key: `received/${record.nominee.id}`,
      to: record.nominee,
      notice: {
        template: 'nomination-received',
        data: { ...this.noticeBase(record), nominatorName: record.nominator.displayName, message: record.view.message, expiresAt: record.view.expiresAt },
      },
    };
    this.sentBeforeClose.push(this.send([notice]));
  }

  async announceOutcome(record: NominationRecord) {
    const outcome = this.state.outcome;
    if (!outcome) return;
    const step = outcome.status.toLowerCase() as 'accepted' | 'declined' | 'expired';
    await this.send([
      {
        key: `${step}/${record.nominator.id}`,
        to: record.nominator,
        notice: { template: `nomination-${step}` as const, data: { ...this.noticeBase(record), nomineeName: record.nominee.displayName, respondedAt: outcome.respondedAt } },
      },
    ]);
  }

  async finished(): Promise<NominationState> {
    await Promise.all(this.sentBeforeClose);
    await condition(allHandlersFinished);
    return this.state;
  }

  // ---- Parts.

  private describe(r: NominationRecord) {
    this.state.organization = r.organization;
    this.state.nominee = { id: r.nominee.id, displayName: r.nominee.displayName };
    this.state.nominator = { id: r.nominator.id, displayName: r.nominator.displayName };
    upsertMemo({ organization: r.organization.name, nominee: r.nominee.displayName, nominator: r.nominator.displayName });
  }

  private close(outcome: NominationOutcome) {
    this.state.outcome = outcome;
    this.state.status = outcome.status;
  }

  private noticeBase(r: NominationRecord) {
    return { nominationId: this.input.nominationId, organizationName: r.organization.name };
  }

  private send(notices: Notice[]): Promise<unknown> {
    const inputs = notices.map(
      (n): NotificationInput => ({
        idempotencyKey: `nomination-${this.input.nominationId}/${n.key}`,
        to: { email: n.to.email, displayName: n.to.displayName, userId: n.to.id },
        ...n.notice,
      }),
    );
    return this.notifications.sendNotifications(inputs);
  }

  /** The refusal of an answer to a nomination that is no longer pending: what happened, by whom, when. */
  private closedRefusal() {
    const o = this.state.outcome;
    if (!o) return domainFailure(NOMINATION_REFUSALS.alreadyClosed({ status: 'EXPIRED', by: null, at: this.record?.view.expiresAt ?? null }));
    return domainFailure(NOMINATION_REFUSALS.alreadyClosed({ status: o.status, by: o.status === 'EXPIRED' ? null : o.view.nominee, at: o.respondedAt }));
  }
}
