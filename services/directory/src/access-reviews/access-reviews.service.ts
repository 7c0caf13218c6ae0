import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import {
  ACCESS_REVIEW_DUE_MAX_MS,
  ACCESS_REVIEW_DUE_MIN_MS,
  ACCESS_REVIEW_REFUSALS,
  DomainError,
  ERROR_CODES,
  proofTarget,
  REFUSALS,
  type AccessReviewCampaignView,
  type AccessReviewCounts,
  type AccessReviewDecisionResult,
  type AccessReviewLookupView,
  type AccessReviewSummaryView,
  type AccessReviewUnreviewedPolicy,
  type AccessReviewView,
  type GetAccessReviewQuery,
  type ListAccessReviewCampaignsQuery,
  type OrganizationKind,
  type Page,
} from '@am/contracts';
import { CallerProofVerifier } from '@am/service-kit';
import {
  accessReviewCampaignWorkflowId,
  accessReviewWorkflowId,
  type AccessReviewDecisionsRecord,
  type AccessReviewParties,
  type AccessReviewRemoval,
  type CampaignReviewPage,
  type OpenAccessReviewCampaignInput,
  type RecordAccessReviewDecisionsInput,
} from '@am/workflow-contracts';
import { AuditRepository } from '../audit/audit.repository';
import { CLOCK, type Clock } from '../clock/clock';
import { DIRECTORY_CONFIG, type DirectoryConfig } from '../config/directory.config';
import { pageBounds } from '../organizations/pagination';
import type { Tx } from '../prisma/prisma.service';
import { AccessReviewsRepository, type CampaignRow, type CampaignTotals, type ItemRow, type ReviewRow } from './access-reviews.repository';

const DAY_MS = 86_400_000;
const NO_COUNTS: AccessReviewCounts = { total: 0, kept: 0, removed: 0, removing: 0, refused: 0, undecided: 0 };

/**
 * Access reviews (issue 18): who may start a campaign, who reviews, and the rules of a decision.
 * A campaign's workflow records it here; each organization's review workflow records decisions,
 * applies the unreviewed policy at the due date and closes the review through these methods.
 */
@Injectable()
export class AccessReviewsService {
  constructor(
    private readonly repo: AccessReviewsRepository,
    private readonly audit: AuditRepository,
    private readonly proofs: CallerProofVerifier,
    @Inject(DIRECTORY_CONFIG) private readonly config: DirectoryConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  // ---- Campaigns.

  /**
   * Records a campaign and its reviews in one transaction (the help desk's, verified by its proof,
   * or the yearly schedule's). Idempotent by campaign id: a retried activity returns it.
   */
  async openCampaign(cmd: OpenAccessReviewCampaignInput): Promise<AccessReviewCampaignView> {
    if (cmd.startedById) {
      await this.proofs.verify(cmd.proof ?? '', { action: 'access-review.start', target: proofTarget.accessReviews(), actorId: cmd.startedById, acceptedAt: cmd.acceptedAt });
      if ((await this.repo.findUser(cmd.startedById))?.platformRole !== 'HELP_DESK') throw new DomainError(ERROR_CODES.FORBIDDEN, 'Only the help desk can start an access review campaign');
    }
    const recorded = await this.repo.findCampaign(cmd.campaignId);
    if (recorded) return this.campaignView(recorded);
    if (!cmd.startedById) await this.checkYearlyRun();
    // The policy is the directory's own configuration, whatever the workflow's input says.
    const policy: AccessReviewUnreviewedPolicy = this.config.ACCESS_REVIEW_UNREVIEWED;
    const dueAt = new Date(cmd.dueAt);
    const ahead = dueAt.getTime() - new Date(cmd.acceptedAt).getTime();
    if (!(ahead >= ACCESS_REVIEW_DUE_MIN_MS)) throw new DomainError(ERROR_CODES.VALIDATION_FAILED, 'dueAt must be in the future (at least 10 seconds ahead)', 'dueAt');
    if (ahead > ACCESS_REVIEW_DUE_MAX_MS) throw new DomainError(ERROR_CODES.VALIDATION_FAILED, 'dueAt must be within 366 days', 'dueAt');
    if (cmd.organizationId) await this.checkOrganization(cmd.organizationId);
    const createdAt = new Date();
    await this.repo.inTransaction(async (tx) => {
      const reviews = await this.repo.createCampaign(
        { id: cmd.campaignId, organizationId: cmd.organizationId ?? null, startedById: cmd.startedById ?? null, dueAt, policy, createdAt },
        tx,
      );
      if (cmd.organizationId && reviews === 0) {
        // Another campaign opened a review of this organization since the check above.
        throw ACCESS_REVIEW_REFUSALS.reviewOpen((await this.repo.findOpenReviewOf(cmd.organizationId))?.id ?? '', 'This organization');
      }
      await this.audit.append(
        {
          action: 'access-review.campaign-started',
          actorId: cmd.startedById ?? null,
          organizationId: cmd.organizationId ?? null,
          subjectId: cmd.campaignId,
          details: { dueAt: dueAt.toISOString(), reviews, unreviewedPolicy: policy, startedBy: cmd.startedById ? 'help-desk' : 'yearly-schedule' },
        },
        tx,
      );
    });
    return this.campaignView((await this.repo.findCampaign(cmd.campaignId))!);
  }

  /**
   * A campaign without a person's proof is the yearly schedule's: accepted on its day
   * (ACCESS_REVIEW_YEARLY_ON, UTC) or the next, once a year, by the directory's own clock. Whoever
   * reaches Temporal cannot open reviews (nor, with the `remove` policy, removals) at will.
   */
  private async checkYearlyRun() {
    const on = this.config.ACCESS_REVIEW_YEARLY_ON;
    if (on === 'off') throw new DomainError(ERROR_CODES.FORBIDDEN, 'No yearly access review is configured (ACCESS_REVIEW_YEARLY_ON is off): a campaign needs the help desk');
    const now = this.clock.now().getTime();
    const [month, day] = on.split('-').map(Number) as [number, number];
    const start = Date.UTC(new Date(now).getUTCFullYear(), month - 1, day);
    if (now < start || now >= start + 2 * DAY_MS) throw new DomainError(ERROR_CODES.FORBIDDEN, `The yearly access review runs on ${on} (UTC): a campaign on another day needs the help desk`);
    const last = await this.repo.lastYearlyCampaign();
    if (last && now - last.createdAt.getTime() < 300 * DAY_MS) {
      throw new DomainError(ERROR_CODES.FORBIDDEN, `This year's access review campaign was started already, on ${last.createdAt.toISOString()}`, undefined, { campaignId: last.id });
    }
  }

  private async checkOrganization(organizationId: string) {
    const org = await this.repo.findOrganization(organizationId);
    if (!org) throw REFUSALS.noSuchOrganization('organizationId');
    if (org.sharedSavingsAco) {
      throw new DomainError(ERROR_CODES.MANAGED_IN_ACO_MS, `${org.name} is a Shared Savings Program ACO: its roles are managed in the ACO Management System (ACO-MS), not here`, 'organizationId');
    }
    if (!(await this.repo.hasConnectedUsers(org.id))) throw new DomainError(ERROR_CODES.VALIDATION_FAILED, `${org.name} has no connected users to review`, 'organizationId');
    const open = await this.repo.findOpenReviewOf(org.id);
    if (open) throw ACCESS_REVIEW_REFUSALS.reviewOpen(open.id, org.name);
  }

  async reviewPage(input: { campaignId: string; after?: string; limit: number }): Promise<CampaignReviewPage> {
    const rows = await this.repo.reviewPage(input.campaignId, input.after, Math.min(Math.max(input.limit, 1), 2000));
    return { reviews: rows.map((r) => ({ reviewId: r.id, organizationId: r.organizationId, dueAt: r.dueAt.toISOString() })) };
  }

  // ---- One organization's review.

  /** Who a review concerns and where it stands; a reminder (and the escalation) is audited when given. */
  async parties(input: { reviewId: string; reminder?: number; escalated?: boolean }): Promise<AccessReviewParties> {
    const review = await this.repo.findReview(input.reviewId);
    if (!review) throw ACCESS_REVIEW_REFUSALS.noSuchReview();
    const parties = await this.partiesOf(review);
    if (input.reminder !== undefined) {
      await this.audit.append({
        action: input.escalated ? 'access-review.escalated' : 'access-review.reminded',
        actorId: null,
        organizationId: review.organizationId,
        subjectId: review.id,
        details: { reminder: input.reminder, undecided: parties.counts.undecided, notified: (input.escalated ? parties.helpDesk : parties.reviewers).map((p) => p.id) },
      });
    }
    return parties;
  }

  private async partiesOf(review: ReviewRow, tx?: Tx): Promise<AccessReviewParties> {
    const [officials, helpDesk, counts] = await Promise.all([this.repo.securityOfficials(review.organizationId, tx), this.repo.helpDesk(tx), this.repo.counts([review.id], tx)]);
    return {
      organization: { id: review.organization.id, name: review.organization.name },
      reviewers: officials.length ? officials.map((o) => o.user) : helpDesk,
      helpDesk,
      counts: counts.get(review.id) ?? NO_COUNTS,
      dueAt: review.dueAt.toISOString(),
      status: review.status,
      unreviewedPolicy: review.unreviewedPolicy as AccessReviewUnreviewedPolicy,
    };
  }

  /**
   * Records decisions, each as if alone, under the organization's lock: the first decision of a
   * user wins (the same decision again is answered as recorded); a REMOVE the removal rules would
   * refuse is refused here and not recorded. Each REMOVE recorded names the removal its workflow
   * runs next. Every decision is audited.
   */
  async decide(cmd: RecordAccessReviewDecisionsInput): Promise<AccessReviewDecisionsRecord> {
    await this.proofs.verify(cmd.proof, { action: 'access-review.decide', target: proofTarget.accessReview(cmd.reviewId), actorId: cmd.deciderId, acceptedAt: cmd.acceptedAt });
    const { results, removals } = await this.repo.inTransaction(async (tx) => {
      const review = await this.repo.lockReview(cmd.reviewId, tx);
      if (!review) throw ACCESS_REVIEW_REFUSALS.noSuchReview();
      if (review.status === 'COMPLETED' || review.closedAt || new Date(cmd.acceptedAt) >= review.dueAt) {
        throw ACCESS_REVIEW_REFUSALS.closed((review.completedAt ?? review.closedAt ?? review.dueAt).toISOString());
      }
      const decider = await this.repo.findUser(cmd.deciderId, tx);
      const helpDesk = decider?.platformRole === 'HELP_DESK';
      if (!decider || (!helpDesk && (await this.repo.roleAt(decider.id, review.organizationId, tx))?.role !== 'SECURITY_OFFICIAL')) {
        throw ACCESS_REVIEW_REFUSALS.notAReviewer(review.organization.name);
      }
      const results: AccessReviewDecisionResult[] = [];
      const removals: AccessReviewRemoval[] = [];
      const decidedAt = new Date();
      for (const wanted of cmd.items) {
        try {
          const item = await this.repo.item(review.id, wanted.userId, tx);
          if (!item) throw ACCESS_REVIEW_REFUSALS.notUnderReview();
          if (item.decision) {
            if (item.decision === wanted.decision && item.decidedById === decider.id) {
              results.push({ userId: wanted.userId, status: 'RECORDED', item: toItemView(item) });
              continue;
            }
            throw ACCESS_REVIEW_REFUSALS.alreadyDecided(item.decision, item.decidedBy, item.decidedAt?.toISOString() ?? null);
          }
          let removalId: string | undefined;
          if (wanted.decision === 'REMOVE') {
            await this.checkRemovable(review, item, decider.id, tx);
            removalId = randomUUID();
          }
          if (!(await this.repo.decide(review.id, item.userId, { decision: wanted.decision, decidedById: decider.id, decidedAt, byPolicy: false, removalId, removalStatus: removalId ? 'PENDING' : undefined }, tx))) {
            // Not reachable under the lock; a decision recorded meanwhile is named as such.
            const now = (await this.repo.item(review.id, wanted.userId, tx))!;
            throw ACCESS_REVIEW_REFUSALS.alreadyDecided(now.decision!, now.decidedBy, now.decidedAt?.toISOString() ?? null);
          }
          if (removalId) removals.push({ userId: item.userId, removalId, removedById: decider.id });
          await this.audit.append(
            {
              action: 'access-review.decided',
              actorId: decider.id,
              organizationId: review.organizationId,
              subjectId: item.userId,
              details: { reviewId: review.id, campaignId: review.campaignId, decision: wanted.decision, role: item.role, ...(removalId ? { removalId } : {}) },
            },
            tx,
          );
          results.push({ userId: wanted.userId, status: 'RECORDED', item: toItemView((await this.repo.item(review.id, wanted.userId, tx))!) });
        } catch (err) {
          if (!(err instanceof DomainError)) throw err;
          results.push({ userId: wanted.userId, status: 'REFUSED', error: err.toBody() });
        }
      }
      return { results, removals };
    });
    return { results, removals, review: await this.reviewView((await this.repo.findReview(cmd.reviewId))!) };
  }

  /** The removal rules, checked when the REMOVE is decided: never oneself, never the last Security Official. */
  private async checkRemovable(review: ReviewRow, item: ItemRow, deciderId: string, tx: Tx) {
    if (item.userId === deciderId) throw new DomainError(ERROR_CODES.FORBIDDEN, 'You cannot remove your own access: another Security Official of this organization decides on yours', 'userId');
    const role = (await this.repo.roleAt(item.userId, review.organizationId, tx))?.role;
    if (!role) throw new DomainError(ERROR_CODES.NOT_FOUND, `${item.user.displayName} holds no role at ${review.organization.name} any more: there is nothing to remove`, 'userId');
    if (role === 'SECURITY_OFFICIAL' && (await this.repo.remainingOfficials(review.id, review.organizationId, tx)) <= 1) {
      throw new DomainError(
        ERROR_CODES.FORBIDDEN,
        `${item.user.displayName} is the only Security Official of ${review.organization.name}: a review never removes the last one (the help desk can, from the organization’s users, with a reason)`,
        'userId',
      );
    }
  }

  /** A review's removal that its workflow refused (the rules changed since the decision): recorded on the item, audited. */
  async removalRefused(input: { reviewId: string; userId: string; removalId: string; code: string; message: string }): Promise<void> {
    await this.repo.inTransaction(async (tx) => {
      if (!(await this.repo.settleRemoval(input.removalId, 'REFUSED', input.message, tx))) return;
      const review = (await this.repo.findReview(input.reviewId, tx))!;
      await this.audit.append(
        { action: 'access-review.removal-refused', actorId: null, organizationId: review.organizationId, subjectId: input.userId, details: { reviewId: input.reviewId, removalId: input.removalId, code: input.code, message: input.message } },
        tx,
      );
    });
  }

  /**
   * The due date (or every user decided): the users nobody reviewed are decided by the policy.
   * `keep` keeps them; `remove` removes them through removal workflows, except the organization's
   * last Security Official, whom a review never removes. Users gone meanwhile are recorded as
   * removed. Idempotent: a retry returns the removals still to run.
   */
  async applyPolicy(input: { reviewId: string }): Promise<{ removals: AccessReviewRemoval[]; unreviewed: number }> {
    return this.repo.inTransaction(async (tx) => {
      const review = await this.repo.lockReview(input.reviewId, tx);
      if (!review) throw ACCESS_REVIEW_REFUSALS.noSuchReview();
      if (review.closedAt || review.status === 'COMPLETED') {
        const decided = await this.repo.decidedByPolicy(review.id, tx);
        return { removals: decided.filter((r) => r.removalStatus === 'PENDING').map((r) => ({ userId: r.userId, removalId: r.removalId!, removedById: null })), unreviewed: decided.length };
      }
      const at = new Date();
      const policy = review.unreviewedPolicy as AccessReviewUnreviewedPolicy;
      const undecided = await this.repo.undecided(review.id, review.organizationId, tx);
      let officials = await this.repo.remainingOfficials(review.id, review.organizationId, tx);
      const removals: AccessReviewRemoval[] = [];
      const tally = { kept: 0, removed: 0, gone: 0, lastOfficialKept: 0 };
      for (const u of undecided) {
        if (!u.role) {
          await this.repo.decide(review.id, u.userId, { decision: 'REMOVE', decidedById: null, decidedAt: at, byPolicy: true }, tx);
          tally.gone++;
        } else if (policy === 'keep') {
          await this.repo.decide(review.id, u.userId, { decision: 'KEEP', decidedById: null, decidedAt: at, byPolicy: true }, tx);
          tally.kept++;
        } else if (u.role === 'SECURITY_OFFICIAL' && officials <= 1) {
          const refusal = `The only Security Official of ${review.organization.name} is never removed by a review`;
          await this.repo.decide(review.id, u.userId, { decision: 'REMOVE', decidedById: null, decidedAt: at, byPolicy: true, removalId: randomUUID(), removalStatus: 'REFUSED', refusal }, tx);
          tally.lastOfficialKept++;
        } else {
          const removalId = randomUUID();
          await this.repo.decide(review.id, u.userId, { decision: 'REMOVE', decidedById: null, decidedAt: at, byPolicy: true, removalId, removalStatus: 'PENDING' }, tx);
          if (u.role === 'SECURITY_OFFICIAL') officials--;
          removals.push({ userId: u.userId, removalId, removedById: null });
          tally.removed++;
        }
      }
      await this.repo.markClosed(review.id, at, tx);
      await this.audit.append(
        { action: 'access-review.unreviewed-decided', actorId: null, organizationId: review.organizationId, subjectId: review.id, details: { policy, undecided: undecided.length, ...tally } },
        tx,
      );
      return { removals, unreviewed: undecided.length };
    });
  }

  /** Closes the review, audited with its counts; returns who receives the summary. Idempotent. */
  async complete(input: { reviewId: string }): Promise<AccessReviewParties> {
    return this.repo.inTransaction(async (tx) => {
      const review = await this.repo.lockReview(input.reviewId, tx);
      if (!review) throw ACCESS_REVIEW_REFUSALS.noSuchReview();
      if (await this.repo.markCompleted(review.id, new Date(), tx)) {
        const counts = (await this.repo.counts([review.id], tx)).get(review.id) ?? NO_COUNTS;
        await this.audit.append(
          { action: 'access-review.completed', actorId: null, organizationId: review.organizationId, subjectId: review.id, details: { campaignId: review.campaignId, ...counts } },
          tx,
        );
      }
      return this.partiesOf((await this.repo.findReview(review.id, tx))!, tx);
    });
  }

  // ---- Reads.

  /** A campaign (the help desk) or one organization's review (its Security Officials and the help desk). */
  async get(query: GetAccessReviewQuery): Promise<AccessReviewLookupView> {
    const viewer = await this.repo.findUser(query.viewerId);
    const helpDesk = viewer?.platformRole === 'HELP_DESK';
    const review = await this.repo.findReview(query.id);
    if (review) {
      if (!helpDesk && (await this.repo.roleAt(query.viewerId, review.organizationId))?.role !== 'SECURITY_OFFICIAL') throw ACCESS_REVIEW_REFUSALS.notAReviewer(review.organization.name);
      return { kind: 'review', ...(await this.reviewView(review)) };
    }
    const campaign = await this.repo.findCampaign(query.id);
    if (!campaign) throw ACCESS_REVIEW_REFUSALS.noSuchReview();
    if (!helpDesk) throw new DomainError(ERROR_CODES.FORBIDDEN, 'Only the help desk can see a campaign of access reviews');
    const { page, pageSize, skip } = pageBounds(query);
    const [[rows, total], totals] = await Promise.all([this.repo.campaignReviews(campaign.id, skip, pageSize), this.repo.campaignTotals([campaign.id])]);
    const counts = await this.repo.counts(rows.map((r) => r.id));
    return {
      kind: 'campaign',
      ...toCampaignView(campaign, totals.get(campaign.id)),
      organizations: { items: rows.map((r) => toSummary(r, counts.get(r.id))), page, pageSize, total },
    };
  }

  /** The help desk's campaigns, newest first, each with its completion. */
  async campaigns(query: ListAccessReviewCampaignsQuery): Promise<Page<AccessReviewCampaignView>> {
    if ((await this.repo.findUser(query.viewerId))?.platformRole !== 'HELP_DESK') throw new DomainError(ERROR_CODES.FORBIDDEN, 'Only the help desk can list access review campaigns');
    const { page, pageSize, skip } = pageBounds(query);
    const [rows, total] = await this.repo.campaigns(skip, pageSize);
    const totals = await this.repo.campaignTotals(rows.map((r) => r.id));
    return { items: rows.map((c) => toCampaignView(c, totals.get(c.id))), page, pageSize, total };
  }

  /** The caller's open reviews: where they are a Security Official, and, for the help desk, where nobody is. */
  async mine(userId: string): Promise<{ items: AccessReviewSummaryView[] }> {
    const helpDesk = (await this.repo.findUser(userId))?.platformRole === 'HELP_DESK';
    const rows = await this.repo.openReviewsFor(userId, helpDesk);
    const counts = await this.repo.counts(rows.map((r) => r.id));
    return { items: rows.map((r) => toSummary(r, counts.get(r.id))) };
  }

  private async campaignView(c: CampaignRow): Promise<AccessReviewCampaignView> {
    return toCampaignView(c, (await this.repo.campaignTotals([c.id])).get(c.id));
  }

  private async reviewView(r: ReviewRow): Promise<AccessReviewView> {
    const [items, counts] = await Promise.all([this.repo.items(r.id), this.repo.counts([r.id])]);
    return { ...toSummary(r, counts.get(r.id)), unreviewedPolicy: r.unreviewedPolicy as AccessReviewUnreviewedPolicy, items: items.map(toItemView) };
  }
}

function toSummary(r: ReviewRow, counts: AccessReviewCounts | undefined): AccessReviewSummaryView {
  return {
    id: r.id,
    workflowId: accessReviewWorkflowId(r.id),
    campaignId: r.campaignId,
    organization: { id: r.organization.id, kind: r.organization.kind as OrganizationKind, identifier: r.organization.identifier, name: r.organization.name },
    status: r.status,
    createdAt: r.createdAt.toISOString(),
    dueAt: r.dueAt.toISOString(),
    completedAt: r.completedAt?.toISOString() ?? null,
    counts: counts ?? NO_COUNTS,
  };
}

function toItemView(i: ItemRow) {
  return {
    user: { id: i.user.id, displayName: i.user.displayName, email: i.user.email },
    role: i.role,
    decision: i.decision,
    decidedBy: i.decidedBy ? { id: i.decidedBy.id, displayName: i.decidedBy.displayName } : null,
    decidedAt: i.decidedAt?.toISOString() ?? null,
    decidedByPolicy: i.decidedByPolicy,
    removal: i.removalId && i.removalStatus ? { id: i.removalId, status: i.removalStatus, refusal: i.removalRefusal } : null,
  };
}

function toCampaignView(c: CampaignRow, t: CampaignTotals | undefined): AccessReviewCampaignView {
  const totals = t ?? { reviews: 0, completed: 0, items: 0, decided: 0 };
  return {
    id: c.id,
    workflowId: accessReviewCampaignWorkflowId(c.id),
    organization: c.organization ? { id: c.organization.id, kind: c.organization.kind as OrganizationKind, identifier: c.organization.identifier, name: c.organization.name } : null,
    startedBy: c.startedBy ? { id: c.startedBy.id, displayName: c.startedBy.displayName } : null,
    createdAt: c.createdAt.toISOString(),
    dueAt: c.dueAt.toISOString(),
    status: totals.completed === totals.reviews ? 'COMPLETED' : 'OPEN',
    reviews: { total: totals.reviews, completed: totals.completed },
    items: { total: totals.items, decided: totals.decided },
  };
}
