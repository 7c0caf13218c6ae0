import { Injectable } from '@nestjs/common';
import type { AccessReviewCounts, AccessReviewDecision, AccessReviewUnreviewedPolicy } from '@am/contracts';
import { Prisma } from '../generated/prisma/client';
import { PrismaService, type Tx } from '../prisma/prisma.service';

const org = { select: { id: true, kind: true, identifier: true, name: true } } as const;
const person = { select: { id: true, displayName: true, email: true } } as const;
const reviewInclude = { organization: org } satisfies Prisma.AccessReviewInclude;
export type ReviewRow = Prisma.AccessReviewGetPayload<{ include: typeof reviewInclude }>;
const itemInclude = { user: person, decidedBy: { select: { id: true, displayName: true } } } satisfies Prisma.AccessReviewItemInclude;
export type ItemRow = Prisma.AccessReviewItemGetPayload<{ include: typeof itemInclude }>;
const campaignInclude = { organization: org, startedBy: { select: { id: true, displayName: true } } } satisfies Prisma.AccessReviewCampaignInclude;
export type CampaignRow = Prisma.AccessReviewCampaignGetPayload<{ include: typeof campaignInclude }>;

/** A campaign's totals: its reviews (completed of all) and their items (decided of all). */
export interface CampaignTotals {
  reviews: number;
  completed: number;
  items: number;
  decided: number;
}

/**
 * The counts of each review, from its items, in one grouped read. "Removed" counts the REMOVE
 * decisions whose removal ran, and those whose user was gone already when the policy decided.
 */
const countsSql = Prisma.sql`
  count(*)::int AS total,
  (count(*) FILTER (WHERE i.decision = 'KEEP'))::int AS kept,
  (count(*) FILTER (WHERE i.decision = 'REMOVE' AND (i.removal_status = 'REMOVED' OR i.removal_id IS NULL)))::int AS removed,
  (count(*) FILTER (WHERE i.removal_status = 'PENDING'))::int AS removing,
  (count(*) FILTER (WHERE i.removal_status = 'REFUSED'))::int AS refused,
  (count(*) FILTER (WHERE i.decision IS NULL))::int AS undecided`;

/** The only code that reads and writes access reviews (issue 18). */
@Injectable()
export class AccessReviewsRepository {
  constructor(private readonly prisma: PrismaService) {}

  inTransaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    return this.prisma.$transaction(fn, { isolationLevel: Prisma.TransactionIsolationLevel.ReadCommitted, timeout: 120_000 });
  }

  /** The organization's row lock, as decisions, removals and nominations take it. */
  async lockOrganization(organizationId: string, tx: Tx): Promise<void> {
    await tx.$queryRaw`SELECT id::text FROM organizations WHERE id = ${organizationId}::uuid FOR NO KEY UPDATE`;
  }

  findOrganization(id: string) {
    return this.prisma.organization.findUnique({ where: { id } });
  }

  findUser(id: string, tx: Tx | PrismaService = this.prisma) {
    return tx.user.findUnique({ where: { id }, select: { id: true, displayName: true, email: true, platformRole: true } });
  }

  roleAt(userId: string, organizationId: string, tx: Tx | PrismaService = this.prisma) {
    return tx.roleAssignment.findUnique({ where: { userId_organizationId: { userId, organizationId } }, select: { role: true } });
  }

  /** Whether the organization has anyone connected to review. */
  async hasConnectedUsers(organizationId: string): Promise<boolean> {
    return (await this.prisma.roleAssignment.count({ where: { organizationId }, take: 1 })) > 0;
  }

  findOpenReviewOf(organizationId: string) {
    return this.prisma.accessReview.findFirst({ where: { organizationId, status: 'OPEN' }, select: { id: true } });
  }

  findCampaign(id: string, tx: Tx | PrismaService = this.prisma): Promise<CampaignRow | null> {
    return tx.accessReviewCampaign.findUnique({ where: { id }, include: campaignInclude });
  }

  findReview(id: string, tx: Tx | PrismaService = this.prisma): Promise<ReviewRow | null> {
    return tx.accessReview.findUnique({ where: { id }, include: reviewInclude });
  }

  /** Takes the lock of the review's organization and reads the review under it. */
  async lockReview(id: string, tx: Tx): Promise<ReviewRow | null> {
    const rows = await tx.$queryRaw<{ id: string }[]>`
      SELECT o.id::text FROM access_reviews r JOIN organizations o ON o.id = r.organization_id WHERE r.id = ${id}::uuid FOR NO KEY UPDATE OF o`;
    if (!rows.length) return null;
    return this.findReview(id, tx);
  }

  /** The review's users: Security Officials first, then by name. */
  items(reviewId: string, tx: Tx | PrismaService = this.prisma): Promise<ItemRow[]> {
    return tx.accessReviewItem.findMany({ where: { reviewId }, include: itemInclude, orderBy: [{ role: 'asc' }, { user: { displayName: 'asc' } }, { userId: 'asc' }] });
  }

  item(reviewId: string, userId: string, tx: Tx): Promise<ItemRow | null> {
    return tx.accessReviewItem.findUnique({ where: { reviewId_userId: { reviewId, userId } }, include: itemInclude });
  }

  async counts(reviewIds: string[], tx: Tx | PrismaService = this.prisma): Promise<Map<string, AccessReviewCounts>> {
    if (!reviewIds.length) return new Map();
    const rows = await tx.$queryRaw<(AccessReviewCounts & { reviewId: string })[]>`
      SELECT i.review_id::text AS "reviewId", ${countsSql} FROM access_review_items i WHERE i.review_id = ANY(${reviewIds}::uuid[]) GROUP BY i.review_id`;
    return new Map(rows.map(({ reviewId, ...c }) => [reviewId, c]));
  }

  /**
   * Records the campaign and one review per organization it covers, with the users connected now,
   * in three statements: organizations with connected users, not Shared Savings Program ACOs,
   * without an open review (two campaigns at once: the partial unique index keeps one).
   */
  async createCampaign(
    c: { id: string; organizationId: string | null; startedById: string | null; dueAt: Date; policy: AccessReviewUnreviewedPolicy; createdAt: Date },
    tx: Tx,
  ): Promise<number> {
    await tx.accessReviewCampaign.create({
      data: { id: c.id, organizationId: c.organizationId, startedById: c.startedById, dueAt: c.dueAt, unreviewedPolicy: c.policy, createdAt: c.createdAt },
    });
    const opened = await tx.$executeRaw`
      INSERT INTO access_reviews (id, campaign_id, organization_id, due_at, unreviewed_policy, created_at)
      SELECT gen_random_uuid(), ${c.id}::uuid, o.id, ${c.dueAt}, ${c.policy}, ${c.createdAt}
      FROM organizations o
      WHERE NOT o.shared_savings_aco
        AND (${c.organizationId}::uuid IS NULL OR o.id = ${c.organizationId}::uuid)
        AND EXISTS (SELECT 1 FROM role_assignments a WHERE a.organization_id = o.id)
      ON CONFLICT (organization_id) WHERE status = 'OPEN' DO NOTHING`;
    await tx.$executeRaw`
      INSERT INTO access_review_items (review_id, user_id, role)
      SELECT r.id, a.user_id, a.role FROM access_reviews r JOIN role_assignments a ON a.organization_id = r.organization_id
      WHERE r.campaign_id = ${c.id}::uuid`;
    return opened;
  }

  /** The latest campaign the yearly schedule started. */
  lastYearlyCampaign() {
    return this.prisma.accessReviewCampaign.findFirst({ where: { startedById: null }, orderBy: { createdAt: 'desc' }, select: { id: true, createdAt: true } });
  }

  /** The campaign's reviews after `after` (by id), to open their workflows. */
  reviewPage(campaignId: string, after: string | undefined, limit: number) {
    return this.prisma.accessReview.findMany({
      where: { campaignId, ...(after ? { id: { gt: after } } : {}) },
      select: { id: true, organizationId: true, dueAt: true },
      orderBy: { id: 'asc' },
      take: limit,
    });
  }

  async campaignTotals(campaignIds: string[]): Promise<Map<string, CampaignTotals>> {
    if (!campaignIds.length) return new Map();
    const rows = await this.prisma.$queryRaw<(CampaignTotals & { campaignId: string })[]>`
      SELECT r.campaign_id::text AS "campaignId", count(DISTINCT r.id)::int AS reviews,
             count(DISTINCT r.id) FILTER (WHERE r.status = 'COMPLETED')::int AS completed,
             count(i.user_id)::int AS items, count(i.user_id) FILTER (WHERE i.decision IS NOT NULL)::int AS decided
      FROM access_reviews r LEFT JOIN access_review_items i ON i.review_id = r.id
      WHERE r.campaign_id = ANY(${campaignIds}::uuid[]) GROUP BY r.campaign_id`;
    return new Map(rows.map(({ campaignId, ...t }) => [campaignId, t]));
  }

  /** A page of campaigns, newest first. */
  campaigns(skip: number, take: number) {
    return Promise.all([
      this.prisma.accessReviewCampaign.findMany({ include: campaignInclude, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], skip, take }),
      this.prisma.accessReviewCampaign.count(),
    ]);
  }

  /** A page of a campaign's reviews: the least complete first, then by organization name. */
  campaignReviews(campaignId: string, skip: number, take: number) {
    return Promise.all([
      this.prisma.accessReview.findMany({ where: { campaignId }, include: reviewInclude, orderBy: [{ status: 'asc' }, { organization: { name: 'asc' } }, { id: 'asc' }], skip, take }),
      this.prisma.accessReview.count({ where: { campaignId } }),
    ]);
  }

  /** Open reviews of the organizations where the user is a Security Official; with `orphans`, also of those with none. */
  openReviewsFor(userId: string, orphans: boolean) {
    return this.prisma.accessReview.findMany({
      where: {
        status: 'OPEN',
        OR: [
          { organization: { roles: { some: { userId, role: 'SECURITY_OFFICIAL' } } } },
          ...(orphans ? [{ organization: { roles: { none: { role: 'SECURITY_OFFICIAL' as const } } } }] : []),
        ],
      },
      include: reviewInclude,
      orderBy: [{ dueAt: 'asc' }, { id: 'asc' }],
      take: 200,
    });
  }

  securityOfficials(organizationId: string, tx: Tx | PrismaService = this.prisma) {
    return tx.roleAssignment.findMany({ where: { organizationId, role: 'SECURITY_OFFICIAL' }, select: { user: person }, orderBy: { user: { displayName: 'asc' } } });
  }

  helpDesk(tx: Tx | PrismaService = this.prisma) {
    return tx.user.findMany({ where: { platformRole: 'HELP_DESK', disabledAt: null }, select: { id: true, displayName: true, email: true }, orderBy: { displayName: 'asc' } });
  }

  /**
   * Security Officials who stay after the removals under way: those assigned, less those whose
   * removal this review has asked for and not yet settled.
   */
  async remainingOfficials(reviewId: string, organizationId: string, tx: Tx): Promise<number> {
    const [row] = await tx.$queryRaw<{ n: number }[]>`
      SELECT count(*)::int AS n FROM role_assignments a
      WHERE a.organization_id = ${organizationId}::uuid AND a.role = 'SECURITY_OFFICIAL'
        AND NOT EXISTS (SELECT 1 FROM access_review_items i WHERE i.review_id = ${reviewId}::uuid AND i.user_id = a.user_id AND i.removal_status = 'PENDING')`;
    return row.n;
  }

  /** Records a decision on an undecided item; false when someone decided it first. */
  async decide(
    reviewId: string,
    userId: string,
    d: { decision: AccessReviewDecision; decidedById: string | null; decidedAt: Date; byPolicy: boolean; removalId?: string; removalStatus?: 'PENDING' | 'REFUSED'; refusal?: string },
    tx: Tx,
  ): Promise<boolean> {
    const { count } = await tx.accessReviewItem.updateMany({
      where: { reviewId, userId, decision: null },
      data: {
        decision: d.decision,
        decidedById: d.decidedById,
        decidedAt: d.decidedAt,
        decidedByPolicy: d.byPolicy,
        removalId: d.removalId ?? null,
        removalStatus: d.removalStatus ?? null,
        removalRefusal: d.refusal ?? null,
      },
    });
    return count === 1;
  }

  /** Settles a review's removal that is still PENDING; false when it was settled already. */
  async settleRemoval(removalId: string, status: 'REMOVED' | 'REFUSED', refusal: string | null, tx: Tx): Promise<boolean> {
    const { count } = await tx.accessReviewItem.updateMany({ where: { removalId, removalStatus: 'PENDING' }, data: { removalStatus: status, removalRefusal: refusal } });
    return count === 1;
  }

  findItemByRemoval(removalId: string, tx: Tx) {
    return tx.accessReviewItem.findUnique({ where: { removalId }, select: { reviewId: true, userId: true, decision: true, decidedById: true, decidedByPolicy: true, removalStatus: true, review: { select: { organizationId: true } } } });
  }

  /** The undecided items, with whether the user still holds a role at the organization, and which. */
  undecided(reviewId: string, organizationId: string, tx: Tx) {
    return tx.$queryRaw<{ userId: string; role: string | null }[]>`
      SELECT i.user_id::text AS "userId", a.role::text AS role FROM access_review_items i
      LEFT JOIN role_assignments a ON a.user_id = i.user_id AND a.organization_id = ${organizationId}::uuid
      WHERE i.review_id = ${reviewId}::uuid AND i.decision IS NULL ORDER BY (a.role = 'SECURITY_OFFICIAL') ASC, i.user_id`;
  }

  /** What the policy decided (a retried close returns the removals still to run). */
  decidedByPolicy(reviewId: string, tx: Tx) {
    return tx.accessReviewItem.findMany({ where: { reviewId, decidedByPolicy: true }, select: { userId: true, removalId: true, removalStatus: true } });
  }

  markClosed(reviewId: string, at: Date, tx: Tx) {
    return tx.accessReview.updateMany({ where: { id: reviewId, closedAt: null }, data: { closedAt: at } });
  }

  async markCompleted(reviewId: string, at: Date, tx: Tx): Promise<boolean> {
    const { count } = await tx.accessReview.updateMany({ where: { id: reviewId, status: 'OPEN' }, data: { status: 'COMPLETED', completedAt: at, closedAt: at } });
    return count === 1;
  }
}
