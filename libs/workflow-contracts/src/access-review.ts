import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type {
  AccessReviewCampaignView,
  AccessReviewCounts,
  AccessReviewDecisionItem,
  AccessReviewDecisionsView,
  AccessReviewUnreviewedPolicy,
} from '@am/contracts';
import type { Person } from './role-request';

export const ACCESS_REVIEW_CAMPAIGN_WORKFLOW = 'accessReviewCampaignWorkflow';
export const ACCESS_REVIEW_WORKFLOW = 'accessReviewWorkflow';

/** A campaign's workflow: `access-review-campaign-<campaignId>` (the yearly schedule's runs carry the schedule's id and time instead). */
export function accessReviewCampaignWorkflowId(campaignId: string): string {
  return `access-review-campaign-${campaignId}`;
}

/** One organization's review: operators find it in Temporal's UI by the review's id. */
export function accessReviewWorkflowId(reviewId: string): string {
  return `access-review-${reviewId}`;
}

/** The Temporal Schedule that starts a campaign every year (one per task-queue prefix). */
export function accessReviewScheduleId(prefix = ''): string {
  return prefix ? `${prefix}-access-review-yearly` : 'access-review-yearly';
}

/** Copied into each review's workflow when it starts: a change of configuration never disturbs a running review. */
export interface AccessReviewTimings {
  /** The reviewers are reminded this long after the review opened, then as often, while users wait. */
  reminderIntervalMs: number;
  /** The help desk is alerted this long before the due date when users still wait. */
  escalateBeforeMs: number;
  /** ACCESS_REVIEW_UNREVIEWED when the workflow started (the directory records its own, which the emails follow). */
  unreviewedPolicy: AccessReviewUnreviewedPolicy;
}

export interface AccessReviewTaskQueues {
  directory: string;
  notifications: string;
  /** Where the campaign's activity that opens the review workflows runs (the access-workflows service). */
  accessWorkflows: string;
}

export interface AccessReviewCampaignInput {
  /** Chosen by the service for a help desk's campaign; a scheduled run draws its own. */
  campaignId?: string;
  organizationId?: string;
  /** The help desk's due date (ISO 8601)... */
  dueAt?: string;
  /** ...or, for the yearly schedule, due this long after the campaign starts. */
  dueAfterMs?: number;
  startedById?: string;
  timings: AccessReviewTimings;
  taskQueues: AccessReviewTaskQueues;
}

/** The help desk's campaign, delivered with the start: answered once the directory has recorded it. */
export interface OpenCampaignUpdateInput {
  proof: string;
}

export interface AccessReviewCampaignState {
  campaignId: string | null;
  status: 'OPENING' | 'OPEN' | 'REFUSED';
  reviewsOpened: number;
  refusal: { code: string; message: string } | null;
}

export interface AccessReviewWorkflowInput {
  reviewId: string;
  campaignId: string;
  organizationId: string;
  dueAt: string;
  timings: AccessReviewTimings;
  taskQueues: { directory: string; notifications: string };
}

export interface DecideAccessReviewUpdateInput {
  deciderId: string;
  items: AccessReviewDecisionItem[];
  /**
   * The gateway's caller proof (access-review.decide), verified by the directory; each REMOVE's
   * removal workflow carries it too, and the directory verifies it again there.
   */
  proof: string;
}

export interface AccessReviewState {
  reviewId: string;
  status: 'OPEN' | 'CLOSING' | 'COMPLETED';
  counts: AccessReviewCounts | null;
  remindersSent: number;
  escalated: boolean;
  removalsRunning: number;
}

/** A removal a review asks for: the removal workflow `access-removal-<removalId>` carries it. */
export interface AccessReviewRemoval {
  userId: string;
  removalId: string;
  /** The decider (null: the unreviewed policy at the due date). */
  removedById: string | null;
}

export interface AccessReviewParties {
  organization: { id: string; name: string };
  /** The organization's Security Officials, or the help desk where it has none. */
  reviewers: Person[];
  helpDesk: Person[];
  counts: AccessReviewCounts;
  dueAt: string;
  status: 'OPEN' | 'COMPLETED';
  /** What the due date does to the users nobody reviewed, as the directory recorded it (absent in older histories). */
  unreviewedPolicy?: AccessReviewUnreviewedPolicy;
}

export const openCampaignUpdate = defineUpdate<AccessReviewCampaignView, [OpenCampaignUpdateInput]>('openCampaign');
export const campaignStatusQuery = defineQuery<AccessReviewCampaignState>('status');
export const decideAccessReviewUpdate = defineUpdate<AccessReviewDecisionsView, [DecideAccessReviewUpdateInput]>('decide');
export const accessReviewStatusQuery = defineQuery<AccessReviewState>('status');
