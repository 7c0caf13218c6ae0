import type { OrganizationSummary, OrgRole } from './domain';
import type { ProvenCommand } from './messages';
import type { Page } from './manage-access';
import { DomainError, ERROR_CODES, type ErrorBody } from './errors';

/**
 * Access reviews (issue 18): a campaign asks each organization's Security Officials to confirm,
 * before a due date, every user connected to it: keep or remove. Each organization's review is a
 * durable workflow (reminders, escalation to the help desk, a summary at the end); every REMOVE
 * runs through the removal workflow with its rules.
 */
export const ACCESS_REVIEW_DECISIONS = ['KEEP', 'REMOVE'] as const;
export type AccessReviewDecision = (typeof ACCESS_REVIEW_DECISIONS)[number];

export const ACCESS_REVIEW_STATUSES = ['OPEN', 'COMPLETED'] as const;
export type AccessReviewStatus = (typeof ACCESS_REVIEW_STATUSES)[number];

/** What happens at the due date to the users nobody reviewed (ACCESS_REVIEW_UNREVIEWED). */
export const ACCESS_REVIEW_UNREVIEWED_POLICIES = ['keep', 'remove'] as const;
export type AccessReviewUnreviewedPolicy = (typeof ACCESS_REVIEW_UNREVIEWED_POLICIES)[number];

/** Where a REMOVE stands: its removal workflow runs (PENDING), removed the access, or was refused by the removal rules. */
export const ACCESS_REVIEW_REMOVAL_STATUSES = ['PENDING', 'REMOVED', 'REFUSED'] as const;
export type AccessReviewRemovalStatus = (typeof ACCESS_REVIEW_REMOVAL_STATUSES)[number];

/** At most this many decisions in one call. */
export const ACCESS_REVIEW_DECISIONS_MAX = 500;
/** A campaign's due date: at least this far ahead, at most this far. */
export const ACCESS_REVIEW_DUE_MIN_MS = 10_000;
export const ACCESS_REVIEW_DUE_MAX_MS = 366 * 86_400_000;

/** One connected user under review. */
export interface AccessReviewItemView {
  user: { id: string; displayName: string; email: string };
  /** The role the user held at the organization when the review opened. */
  role: OrgRole;
  decision: AccessReviewDecision | null;
  decidedBy: { id: string; displayName: string } | null;
  decidedAt: string | null;
  /** Set when the decision was made by the unreviewed policy at the due date, not by a person. */
  decidedByPolicy: boolean;
  /** A REMOVE's removal: its id (the removal workflow is `access-removal-<id>`), where it stands, and the rule that refused it. */
  removal: { id: string; status: AccessReviewRemovalStatus; refusal: string | null } | null;
}

export interface AccessReviewCounts {
  total: number;
  kept: number;
  removed: number;
  /** REMOVE decisions whose removal workflow is still running. */
  removing: number;
  /** REMOVE decisions the removal rules refused (the access stays). */
  refused: number;
  undecided: number;
}

/** One organization's review within a campaign. */
export interface AccessReviewView {
  id: string;
  /** The Temporal workflow that carries the review to its due date. */
  workflowId: string;
  campaignId: string;
  organization: OrganizationSummary;
  status: AccessReviewStatus;
  createdAt: string;
  dueAt: string;
  completedAt: string | null;
  /** What the due date does to the users nobody reviewed. */
  unreviewedPolicy: AccessReviewUnreviewedPolicy;
  counts: AccessReviewCounts;
  items: AccessReviewItemView[];
}

/** A review as it appears in lists (a campaign's organizations, a Security Official's reviews): no items. */
export type AccessReviewSummaryView = Omit<AccessReviewView, 'items' | 'unreviewedPolicy'>;

export interface AccessReviewCampaignView {
  id: string;
  workflowId: string;
  /** The one organization reviewed, or null for a campaign over every organization. */
  organization: OrganizationSummary | null;
  /** The help desk user who started it, or null when the yearly schedule did. */
  startedBy: { id: string; displayName: string } | null;
  createdAt: string;
  dueAt: string;
  /** COMPLETED when every review in it is. */
  status: AccessReviewStatus;
  reviews: { total: number; completed: number };
  items: { total: number; decided: number };
}

/** The campaign with its organizations' reviews, a page at a time (GET /access-reviews/{campaignId}). */
export interface AccessReviewCampaignDetailView extends AccessReviewCampaignView {
  organizations: Page<AccessReviewSummaryView>;
}

/** GET /access-reviews/{id} answers a campaign (help desk) or an organization's review. */
export type AccessReviewLookupView = ({ kind: 'campaign' } & AccessReviewCampaignDetailView) | ({ kind: 'review' } & AccessReviewView);

/** One decision's result: the item as recorded, or why it was refused (as if alone). */
export interface AccessReviewDecisionResult {
  userId: string;
  status: 'RECORDED' | 'REFUSED';
  item?: AccessReviewItemView;
  error?: ErrorBody;
}

export interface AccessReviewDecisionsView {
  results: AccessReviewDecisionResult[];
  review: AccessReviewView;
}

// ---- Messages between the services.

/** The help desk starts a campaign (for one organization or all). */
export interface StartAccessReviewCampaignCommand extends ProvenCommand {
  startedById: string;
  organizationId?: string;
  dueAt: string;
}

export interface AccessReviewDecisionItem {
  userId: string;
  decision: AccessReviewDecision;
}

/** A Security Official (or the help desk) records decisions on one review. */
export interface DecideAccessReviewCommand extends ProvenCommand {
  reviewId: string;
  deciderId: string;
  items: AccessReviewDecisionItem[];
}

export interface GetAccessReviewQuery {
  id: string;
  viewerId: string;
  page?: number;
  pageSize?: number;
}

export interface ListAccessReviewCampaignsQuery {
  viewerId: string;
  page?: number;
  pageSize?: number;
}

/** The refusals of the review rules, each worded once. */
export const ACCESS_REVIEW_REFUSALS = {
  noSuchReview: () => new DomainError(ERROR_CODES.NOT_FOUND, 'No access review has this id', 'id'),
  notAReviewer: (organizationName: string) =>
    new DomainError(ERROR_CODES.FORBIDDEN, `Only a Security Official of ${organizationName} or the help desk can review its users`),
  closed: (completedAt: string | null) =>
    new DomainError(ERROR_CODES.ACCESS_REVIEW_CLOSED, `This access review closed${completedAt ? ` at ${completedAt}` : ''}: its decisions are final`, undefined, { completedAt }),
  notUnderReview: () => new DomainError(ERROR_CODES.NOT_FOUND, 'This user is not under review in this access review', 'userId'),
  alreadyDecided: (decision: AccessReviewDecision, by: { id: string; displayName: string } | null, at: string | null) =>
    new DomainError(
      ERROR_CODES.ALREADY_DECIDED,
      `This user was already reviewed: ${decision} by ${by?.displayName ?? 'the review’s policy'}${at ? ` at ${at}` : ''}`,
      'userId',
      { decision, decidedBy: by?.displayName ?? null, decidedById: by?.id ?? null, decidedAt: at },
    ),
  reviewOpen: (reviewId: string, organizationName: string) =>
    new DomainError(ERROR_CODES.ACCESS_REVIEW_OPEN, `${organizationName} has an access review open already`, 'organizationId', { reviewId }),
};
