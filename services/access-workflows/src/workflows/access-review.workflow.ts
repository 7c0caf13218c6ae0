import {
  allHandlersFinished,
  condition,
  executeChild,
  ParentClosePolicy,
  proxyActivities,
  setHandler,
  startChild,
  upsertMemo,
  uuid4,
} from '@temporalio/workflow';
import { ACCESS_REVIEW_REFUSALS, DomainError, ERROR_CODES, type AccessReviewCampaignView, type AccessReviewDecisionsView } from '@am/contracts';
import {
  ACCESS_REMOVAL_WORKFLOW,
  ACCESS_REVIEW_CAMPAIGN_WORKFLOW,
  accessRemovalWorkflowId,
  accessReviewCampaignWorkflowId,
  accessReviewStatusQuery,
  campaignStatusQuery,
  decideAccessReviewUpdate,
  domainErrorIn,
  domainFailure,
  openCampaignUpdate,
  type AccessRemovalState,
  type AccessRemovalWorkflowInput,
  type AccessReviewCampaignInput,
  type AccessReviewCampaignState,
  type AccessReviewRemoval,
  type AccessReviewState,
  type AccessReviewWorkflowInput,
  type AccessWorkflowsActivities,
  type DecideAccessReviewUpdateInput,
  type NotificationInput,
  type NotificationTemplate,
  type Person,
} from '@am/workflow-contracts';
import { serviceActivities } from './activities';

/** How many reviews the campaign opens per page (one directory read and one activity that starts their workflows). */
const PAGE = 500;

/**
 * An access review campaign (issue 18). The help desk's campaign is recorded by the openCampaign
 * Update delivered with the start; the yearly schedule's run records its own (due
 * `dueAfterMs` later) in a child `access-review-campaign-<id>`, so every campaign's workflow is found
 * by its id. Recorded, the campaign opens one review workflow per organization, a page at a time.
 */
export async function accessReviewCampaignWorkflow(input: AccessReviewCampaignInput): Promise<AccessReviewCampaignState> {
  if (!input.startedById && !input.campaignId) {
    // A run of the yearly schedule: the campaign gets an id, and a workflow named after it.
    const campaignId = uuid4();
    return executeChild(ACCESS_REVIEW_CAMPAIGN_WORKFLOW, {
      workflowId: accessReviewCampaignWorkflowId(campaignId),
      args: [{ ...input, campaignId, dueAt: new Date(Date.now() + (input.dueAfterMs ?? 0)).toISOString() }],
    });
  }
  const { directory } = serviceActivities(input.taskQueues);
  const starter = proxyActivities<AccessWorkflowsActivities>({
    taskQueue: input.taskQueues.accessWorkflows,
    // A page of 500 at ACCESS_REVIEW_OPEN_RATE (2 a second by default) takes about four minutes.
    startToCloseTimeout: '2 hours',
    heartbeatTimeout: '1 minute',
    retry: { initialInterval: '1 second', maximumInterval: '30 seconds' },
  });
  const campaignId = input.campaignId!;
  const state: AccessReviewCampaignState = { campaignId, status: 'OPENING', reviewsOpened: 0, refusal: null };
  let view: AccessReviewCampaignView | null = null;
  let opening = false;
  setHandler(campaignStatusQuery, () => state);

  const open = async (proof: string | undefined): Promise<AccessReviewCampaignView> => {
    opening = true;
    try {
      view = await directory.openAccessReviewCampaign({
        campaignId,
        organizationId: input.organizationId,
        dueAt: input.dueAt!,
        startedById: input.startedById,
        proof,
        acceptedAt: new Date().toISOString(),
        unreviewedPolicy: input.timings.unreviewedPolicy,
      });
      upsertMemo({ organization: view.organization?.name ?? 'every organization', dueAt: view.dueAt, startedBy: view.startedBy?.displayName ?? 'the yearly schedule' });
      return view;
    } catch (err) {
      const refusal = domainErrorIn(err);
      state.status = 'REFUSED';
      state.refusal = { code: refusal?.code ?? ERROR_CODES.INTERNAL, message: refusal?.message ?? String(err) };
      throw refusal ? domainFailure(refusal) : err;
    } finally {
      opening = false;
    }
  };
  setHandler(openCampaignUpdate, ({ proof }) => open(proof), {
    validator: (_cmd) => {
      if (opening || view || state.refusal) throw domainFailure(new DomainError(ERROR_CODES.VALIDATION_FAILED, 'This campaign was started already'));
    },
  });

  if (input.startedById) await condition(() => view !== null || state.refusal !== null);
  else await open(undefined);
  if (!view) return state;

  let after: string | undefined;
  for (;;) {
    const page = await directory.campaignReviewPage({ campaignId, after, limit: PAGE });
    if (!page.reviews.length) break;
    await starter.startAccessReviewWorkflows({ campaignId, reviews: page.reviews, timings: input.timings });
    state.reviewsOpened += page.reviews.length;
    after = page.reviews[page.reviews.length - 1]!.reviewId;
    if (page.reviews.length < PAGE) break;
  }
  state.status = 'OPEN';
  await condition(allHandlersFinished);
  return state;
}

/**
 * One organization's review (issue 18), from its opening to its summary: tells the reviewers,
 * records their decisions (the decide Update: each user's first decision wins), reminds them on
 * timers, alerts the help desk near the due date, and at the due date (or once every user is
 * decided) lets the unreviewed policy decide the rest, waits for every removal, closes the review
 * and sends the summary. Every REMOVE runs through the removal workflow, as a child.
 */
export async function accessReviewWorkflow(input: AccessReviewWorkflowInput): Promise<AccessReviewState> {
  const review = new Review(input);
  await review.opened();
  await review.untilDueOrDecided();
  await review.close();
  return review.finished();
}

type Activities = ReturnType<typeof serviceActivities>;

class Review {
  readonly state: AccessReviewState;
  private readonly directory: Activities['directory'];
  private readonly notifications: Activities['notifications'];
  private readonly dueAt: number;
  /** A decision (or the closing) being recorded: the next waits for it. */
  private busy = false;
  /** Removal workflows running, each settled (a refusal recorded) before the review closes. */
  private readonly removals: Promise<void>[] = [];
  private readonly sentBeforeClose: Promise<unknown>[] = [];
  private organizationName = '';
  private policy: AccessReviewWorkflowInput['timings']['unreviewedPolicy'];

  constructor(private readonly input: AccessReviewWorkflowInput) {
    ({ directory: this.directory, notifications: this.notifications } = serviceActivities(input.taskQueues));
    this.dueAt = Date.parse(input.dueAt);
    this.policy = input.timings.unreviewedPolicy;
    this.state = { reviewId: input.reviewId, status: 'OPEN', counts: null, remindersSent: 0, escalated: false, removalsRunning: 0 };
    setHandler(accessReviewStatusQuery, () => this.state);
    setHandler(decideAccessReviewUpdate, (cmd) => this.decide(cmd), { validator: (_cmd) => this.refuseWhenClosed() });
  }

  private get allDecided(): boolean {
    return this.state.counts !== null && this.state.counts.undecided === 0;
  }

  async opened(): Promise<void> {
    const parties = await this.directory.accessReviewParties({ reviewId: this.input.reviewId });
    this.organizationName = parties.organization.name;
    this.policy = parties.unreviewedPolicy ?? this.policy;
    if (this.state.counts === null) this.state.counts = parties.counts;
    upsertMemo({ organization: parties.organization.name, dueAt: this.input.dueAt });
    this.sentBeforeClose.push(
      this.send(
        parties.reviewers.map((to) => ({
          key: `opened/${to.id}`,
          to,
          notice: { template: 'access-review-opened', data: { ...this.noticeBase(), undecided: parties.counts.undecided, total: parties.counts.total, unreviewedPolicy: this.policy } },
        })),
      ),
    );
  }

  // ---- Decisions.

  private refuseWhenClosed() {
    if (this.state.status !== 'OPEN' || Date.now() >= this.dueAt) throw domainFailure(ACCESS_REVIEW_REFUSALS.closed(this.input.dueAt));
  }

  private async decide(cmd: DecideAccessReviewUpdateInput): Promise<AccessReviewDecisionsView> {
    if (this.busy) await condition(() => !this.busy);
    if (this.state.status !== 'OPEN') throw domainFailure(ACCESS_REVIEW_REFUSALS.closed(this.input.dueAt));
    this.busy = true;
    try {
      const recorded = await this.directory.recordAccessReviewDecisions({ reviewId: this.input.reviewId, ...cmd, acceptedAt: new Date().toISOString() });
      // Every removal's start goes out in one workflow task, not one after another.
      await Promise.all(recorded.removals.map((removal) => this.startRemoval(removal, cmd.proof)));
      this.state.counts = recorded.review.counts;
      return { results: recorded.results, review: recorded.review };
    } catch (err) {
      const refusal = domainErrorIn(err);
      throw refusal ? domainFailure(refusal) : err;
    } finally {
      this.busy = false;
    }
  }

  /** Starts the removal workflow of one REMOVE; its refusal, when the rules refuse it, is recorded on the item. */
  private async startRemoval(removal: AccessReviewRemoval, proof: string | undefined) {
    const byPolicy = removal.removedById === null;
    const args: AccessRemovalWorkflowInput = {
      command: { organizationId: this.input.organizationId, userId: removal.userId, removedById: removal.removedById ?? this.input.reviewId, proof: proof ?? '', removalId: removal.removalId },
      taskQueues: this.input.taskQueues,
      accessReview: { reviewId: this.input.reviewId, byPolicy },
    };
    const child = await startChild(ACCESS_REMOVAL_WORKFLOW, {
      workflowId: accessRemovalWorkflowId(removal.removalId),
      args: [args],
      parentClosePolicy: ParentClosePolicy.ABANDON,
    });
    this.state.removalsRunning++;
    this.removals.push(
      (child.result() as Promise<AccessRemovalState>)
        .then(
          (s) => (s.status === 'REFUSED' ? s.refusal : null),
          (err: unknown) => ({ code: domainErrorIn(err)?.code ?? ERROR_CODES.INTERNAL, message: domainErrorIn(err)?.message ?? 'The removal workflow failed' }),
        )
        .then(async (refusal) => {
          if (refusal) await this.directory.recordAccessReviewRemovalRefused({ reviewId: this.input.reviewId, userId: removal.userId, removalId: removal.removalId, ...refusal });
          this.state.removalsRunning--;
        }),
    );
  }

  // ---- Waiting: reminders on timers, the help desk near the due date.

  async untilDueOrDecided() {
    const { reminderIntervalMs, escalateBeforeMs } = this.input.timings;
    const start = Date.now();
    const escalateAt = this.dueAt - escalateBeforeMs;
    let nextReminder = start + reminderIntervalMs;
    let escalationDue = escalateAt > start;
    for (;;) {
      const now = Date.now();
      if (now >= this.dueAt || this.allDecided) return;
      const next = Math.min(this.dueAt, nextReminder, escalationDue ? escalateAt : Infinity);
      if (await condition(() => this.allDecided, Math.max(next - now, 1))) {
        if (this.busy) await condition(() => !this.busy);
        if (this.allDecided) return;
        continue;
      }
      if (this.busy) await condition(() => !this.busy);
      const t = Date.now();
      if (escalationDue && t >= escalateAt) {
        escalationDue = false;
        await this.escalate();
      } else if (t >= nextReminder && nextReminder < this.dueAt) {
        nextReminder += reminderIntervalMs;
        await this.remind();
      }
    }
  }

  private async remind() {
    const n = this.state.remindersSent + 1;
    const parties = await this.directory.accessReviewParties({ reviewId: this.input.reviewId, reminder: n });
    this.state.counts = parties.counts;
    this.state.remindersSent = n;
    if (!parties.counts.undecided) return;
    await this.send(
      parties.reviewers.map((to) => ({
        key: `reminder-${n}/${to.id}`,
        to,
        notice: { template: 'access-review-reminder', data: { ...this.noticeBase(), undecided: parties.counts.undecided, total: parties.counts.total, unreviewedPolicy: this.policy } },
      })),
    );
  }

  private async escalate() {
    const parties = await this.directory.accessReviewParties({ reviewId: this.input.reviewId, reminder: this.state.remindersSent, escalated: true });
    this.state.counts = parties.counts;
    this.state.escalated = true;
    if (!parties.counts.undecided) return;
    await this.send(
      parties.helpDesk.map((to) => ({
        key: `escalated/${to.id}`,
        to,
        notice: {
          template: 'access-review-escalated',
          data: { ...this.noticeBase(), undecided: parties.counts.undecided, total: parties.counts.total, reviewerNames: parties.reviewers.map((r) => r.displayName) },
        },
      })),
    );
  }

  // ---- Closing: the policy, the removals, the summary.

  async close() {
    if (this.busy) await condition(() => !this.busy);
    this.state.status = 'CLOSING';
    const { removals, unreviewed } = await this.directory.applyAccessReviewPolicy({ reviewId: this.input.reviewId });
    await Promise.all(removals.map((removal) => this.startRemoval(removal, undefined)));
    await Promise.all(this.removals);
    const parties = await this.directory.completeAccessReview({ reviewId: this.input.reviewId });
    this.state.counts = parties.counts;
    this.state.status = 'COMPLETED';
    const c = parties.counts;
    await this.send(
      parties.reviewers.map((to) => ({
        key: `completed/${to.id}`,
        to,
        notice: {
          template: 'access-review-completed',
          data: { ...this.noticeBase(), kept: c.kept, removed: c.removed, refused: c.refused, unreviewed, unreviewedPolicy: this.policy },
        },
      })),
    );
  }

  async finished(): Promise<AccessReviewState> {
    await Promise.all(this.sentBeforeClose);
    await condition(allHandlersFinished);
    return this.state;
  }

  // ---- Parts.

  private noticeBase() {
    return { reviewId: this.input.reviewId, organizationName: this.organizationName, dueAt: this.input.dueAt };
  }

  private send(notices: { key: string; to: Person; notice: NotificationTemplate }[]): Promise<unknown> {
    if (!notices.length) return Promise.resolve();
    const inputs = notices.map(
      (n): NotificationInput => ({
        idempotencyKey: `access-review-${this.input.reviewId}/${n.key}`,
        to: { email: n.to.email, displayName: n.to.displayName, userId: n.to.id },
        ...n.notice,
      }),
    );
    return this.notifications.sendNotifications(inputs);
  }
}
