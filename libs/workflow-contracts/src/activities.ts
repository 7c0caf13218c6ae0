import type { CreateRoleRequestCommand, DenyReasonCode, RemovalRecord, RemoveAccessCommand } from '@am/contracts';
import type { AccessReviewCampaignView, AccessReviewDecisionsView, AccessReviewUnreviewedPolicy } from '@am/contracts';
import type { AccessReviewParties, AccessReviewRemoval, AccessReviewTimings, DecideAccessReviewUpdateInput } from './access-review';
import type { DueDigestPage, EmailDigestContent } from './email-digest';
import type { NominationOutcome, NominationRecord, RespondUpdateInput } from './nomination';
import type { ClosureRecord, DecideUpdateInput, DecisionRecord, RequestParties, SubmissionRecord, UndoRecord } from './role-request';

/** A submission as the request's workflow records it: with the id chosen before the workflow started. */
export interface RecordSubmissionInput extends CreateRoleRequestCommand {
  requestId: string;
  /** When the workflow accepted the submission (ISO 8601): the caller proof must have been valid then. */
  acceptedAt: string;
  /** When the first reminder will go out (issue 19), for the request's view; null when it expires first. */
  nextReminderAt?: string | null;
}

/** A reminder sent, as its workflow audits it. */
export interface RecordReminderInput {
  requestId: string;
  reminder: number;
  escalated: boolean;
  notified: string[];
  /** When the next one will go out (issue 19); null when the request expires first. Absent from requests started before. */
  nextReminderAt?: string | null;
}

export interface RecordDecisionInput extends DecideUpdateInput {
  requestId: string;
  /**
   * When the workflow accepted the Update (ISO 8601): the proof must have been valid then, so a
   * retried activity is not refused because the proof expired meanwhile.
   */
  acceptedAt?: string;
  /** Denials (issue 17): how long the denial can be undone; the directory records until when. */
  undoWindowMs?: number;
}

export interface UndoDecisionInput {
  requestId: string;
  actorId: string;
  proof?: string;
  /** When the workflow accepted the undo: the window must have been open then, and the proof valid. */
  acceptedAt: string;
}

export interface WithdrawRequestInput {
  requestId: string;
  requesterId: string;
  proof?: string;
  acceptedAt?: string;
}

/** A nomination as its workflow records it (issue 18): under the id chosen before the workflow started. */
export interface RecordNominationInput {
  nominationId: string;
  organizationId: string;
  nominatorId: string;
  /** An account id or a login id, as the nominator named the nominee. */
  nominee: string;
  message?: string;
  proof: string;
  /** When the workflow accepted the nomination (ISO 8601): the caller proof must have been valid then. */
  acceptedAt: string;
  /** How long the nomination stays open: the directory records until when (expiresAt). */
  expiresAfterMs: number;
}

export interface RecordNominationResponseInput extends RespondUpdateInput {
  nominationId: string;
  /** When the workflow accepted the answer: the proof must have been valid then, and the nomination open. */
  acceptedAt: string;
}

/** A campaign as its workflow records it (issue 18): one review per organization with connected users. */
export interface OpenAccessReviewCampaignInput {
  campaignId: string;
  organizationId?: string;
  dueAt: string;
  /** The help desk user who started it, with their proof (access-review.start); absent when the yearly schedule did. */
  startedById?: string;
  proof?: string;
  acceptedAt: string;
  /** ACCESS_REVIEW_UNREVIEWED of access-workflows; the directory records its own configuration's. */
  unreviewedPolicy: AccessReviewUnreviewedPolicy;
}

export interface RecordAccessReviewDecisionsInput extends DecideAccessReviewUpdateInput {
  reviewId: string;
  /** When the workflow accepted the Update: the proof must have been valid then, and the review open. */
  acceptedAt: string;
}

/** The decisions recorded, and the removals they ask for (each to run through the removal workflow). */
export interface AccessReviewDecisionsRecord extends AccessReviewDecisionsView {
  removals: AccessReviewRemoval[];
}

/** One page of a campaign's reviews, to open their workflows. */
export interface CampaignReviewPage {
  reviews: { reviewId: string; organizationId: string; dueAt: string }[];
}

/** Activities served by services/directory on its task queue. */
export interface DirectoryActivities {
  /**
   * Records a submitted request (rules 1-2) with its audit event, in one transaction, and returns
   * its view and parties; refusals (duplicate, role held, ACO, unknown organization) fail
   * non-retryably. Idempotent: a retry returns the request recorded under this id.
   */
  recordSubmission(input: RecordSubmissionInput): Promise<SubmissionRecord>;
  /** Records the decision and, on approve, grants the role, in one transaction; idempotent. */
  recordDecision(input: RecordDecisionInput): Promise<DecisionRecord>;
  /**
   * Undoes a denial inside its undo window (issue 17): the request is PENDING again, audited as
   * role-request.decision-undone; only an approver of the request may. Idempotent: a retry by the
   * same approver of an undo already recorded returns it.
   */
  undoDecision(input: UndoDecisionInput): Promise<UndoRecord>;
  /** Who the request concerns now: requester, organization, its Security Officials, the help desk. Reads only. */
  getRequestParties(input: { requestId: string }): Promise<RequestParties>;
  /** Marks a PENDING request WITHDRAWN by its requester, with its audit event; idempotent. */
  withdrawRequest(input: WithdrawRequestInput): Promise<ClosureRecord>;
  /** Marks a PENDING request EXPIRED, with its audit event; idempotent. */
  expireRequest(input: { requestId: string }): Promise<ClosureRecord>;
  /** Audits reminder number `reminder` (and the escalation to the help desk when `escalated`); idempotent. */
  recordReminder(input: RecordReminderInput): Promise<void>;
  /**
   * Removes a user's access at an organization (rules 9-10), race-safe and audited. Business refusals
   * (self-removal, last Security Official, ACO) fail non-retryably with the domain error code as type.
   * Pass `removalId` (e.g. the workflow id) so a retry returns the recorded removal instead of 404.
   * `accessReview`: the removal an access review decided (issue 18): the proof is the decider's
   * access-review.decide proof and the review's item must name this removal; `byPolicy` removals
   * (the unreviewed policy) carry no person's proof: the item must say the policy decided it. The
   * last Security Official is never removed by a review. The item records the removal.
   */
  removeAccess(input: RemoveAccessCommand & { acceptedAt?: string; accessReview?: { reviewId: string; byPolicy: boolean } }): Promise<RemovalRecord>;
  /**
   * Records a nomination of a backup Security Official (issue 18) with its audit event, in one
   * transaction; refusals (not a Security Official there, oneself, unknown or disabled nominee,
   * role held, nominated already, ACO) fail non-retryably. Idempotent by nominationId.
   */
  recordNomination(input: RecordNominationInput): Promise<NominationRecord>;
  /**
   * Records the nominee's answer: an acceptance grants the Security Official role (recorded as
   * approved by the nominator) under the organization's lock, refused when the nominator is no
   * longer a Security Official there (NOMINATION_LAPSED). Idempotent: the same answer retried
   * returns what was recorded; another answer to a closed nomination is refused (409).
   */
  recordNominationResponse(input: RecordNominationResponseInput): Promise<NominationOutcome>;
  /** Expires a pending nomination, audited; a nomination closed meanwhile is returned as it closed. Idempotent. */
  expireNomination(input: { nominationId: string }): Promise<NominationOutcome>;
  /**
   * Records an access review campaign (issue 18) and, in the same transaction, one review per
   * organization it covers (connected users, not a Shared Savings Program ACO, no review open
   * already) with its users to review. Idempotent by campaignId.
   */
  openAccessReviewCampaign(input: OpenAccessReviewCampaignInput): Promise<AccessReviewCampaignView>;
  /** The campaign's reviews after `after` (by id), at most `limit`. Reads only. */
  campaignReviewPage(input: { campaignId: string; after?: string; limit: number }): Promise<CampaignReviewPage>;
  /** Who a review concerns and where it stands; with `reminder`, audits that reminder (and the escalation when `escalated`). */
  accessReviewParties(input: { reviewId: string; reminder?: number; escalated?: boolean }): Promise<AccessReviewParties>;
  /**
   * Records decisions on a review, each as if alone, under the organization's lock: the first
   * decision of an item wins; a REMOVE that the removal rules would refuse (oneself, the last
   * Security Official) is refused and not recorded. Idempotent per item.
   */
  recordAccessReviewDecisions(input: RecordAccessReviewDecisionsInput): Promise<AccessReviewDecisionsRecord>;
  /** A review's removal that the removal workflow refused (a race since the decision): recorded on the item, audited. */
  recordAccessReviewRemovalRefused(input: { reviewId: string; userId: string; removalId: string; code: string; message: string }): Promise<void>;
  /** At the due date: the unreviewed users are decided by the policy; the removals it asks for are returned. Idempotent. */
  applyAccessReviewPolicy(input: { reviewId: string }): Promise<{ removals: AccessReviewRemoval[]; unreviewed: number }>;
  /** Closes the review (COMPLETED), audited with its counts; returns who to send the summary. Idempotent. */
  completeAccessReview(input: { reviewId: string }): Promise<AccessReviewParties>;
  /**
   * Issue 19: the users on the daily digest whose digest is due at `asOf` (their local time past
   * their digest hour, none sent for that local date), a page of users after `after` (by id). Reads only.
   */
  dueEmailDigests(input: { asOf: string; after?: string; limit: number }): Promise<DueDigestPage>;
  /** What the user's digest lists now: the requests waiting on them (as Manage Access computes them), by organization. Reads only. */
  emailDigestContent(input: { userId: string; localDate: string }): Promise<EmailDigestContent>;
  /** Records that the user's digest for `localDate` went out (or had nothing to list). Idempotent; never moves back. */
  markEmailDigestSent(input: { userId: string; localDate: string }): Promise<void>;
}

/** Activities served by services/access-workflows itself (it holds the Temporal client). */
export interface AccessWorkflowsActivities {
  /**
   * Starts the review workflows of one page of a campaign (already started ones are left as they
   * are), heartbeating its progress; returns how many it started.
   */
  startAccessReviewWorkflows(input: { campaignId: string; reviews: CampaignReviewPage['reviews']; timings: AccessReviewTimings }): Promise<{ started: number }>;
}

export interface Recipient {
  email: string;
  displayName: string;
  /** The recipient's user id: their in-app notice is stored under it (absent in older workflow histories). */
  userId?: string;
}

interface RequestNoticeData {
  requestId: string;
  role: DecisionRecord['role'];
  organizationName: string;
}

interface AccessReviewNoticeData {
  reviewId: string;
  organizationName: string;
  dueAt: string;
}

interface NominationNoticeData {
  nominationId: string;
  organizationName: string;
}

/** Every notice the workflows send, by template; each renders a plain-text and an HTML part. */
export type NotificationTemplate =
  /** To each approver: someone asks for a role they can grant. */
  | { template: 'request-submitted-approver'; data: RequestNoticeData & { requesterName: string; justification: string | null } }
  /** To the requester: the request is in, and who can approve it (rule 6). */
  | { template: 'request-submitted-requester'; data: RequestNoticeData & { approverNames: string[] } }
  /** To each approver: the request still waits (rule 7). */
  | { template: 'request-reminder'; data: RequestNoticeData & { requesterName: string; reminder: number; submittedAt: string } }
  /** To the help desk: the approvers were reminded `reminders` times without deciding. */
  | { template: 'request-escalated'; data: RequestNoticeData & { requesterName: string; reminders: number; submittedAt: string; approverNames: string[] } }
  /** To the requester: approved or denied. */
  | {
      template: 'request-decided';
      data: RequestNoticeData & {
        decision: DecisionRecord['status'];
        deciderName: string;
        reason: string | null;
        /** Denials: why, and what to do next (issue 17; absent in older histories). */
        reasonCode?: DenyReasonCode | null;
        resubmitHint?: string | null;
        /** Denials: where "Request again" opens the web app (relative to its base URL); absent where no one-click resubmit is offered. */
        resubmitPath?: string | null;
      };
    }
  /** To the deciding approver: confirmation of what they decided. */
  | { template: 'decision-confirmed'; data: RequestNoticeData & { decision: DecisionRecord['status']; requesterName: string } }
  /** To the requester: nobody decided in time. */
  | { template: 'request-expired'; data: RequestNoticeData & { submittedAt: string } }
  /** To the requester (confirmation) and to the approvers (nothing left to decide). */
  | { template: 'request-withdrawn'; data: RequestNoticeData & { requesterName: string; audience: 'requester' | 'approver' } }
  /** To the nominee (issue 18): a Security Official nominates them as a backup Security Official. */
  | { template: 'nomination-received'; data: NominationNoticeData & { nominatorName: string; message: string | null; expiresAt: string } }
  /** To the nominator: the nominee accepted, declined, or let the nomination expire. */
  | { template: 'nomination-accepted' | 'nomination-declined' | 'nomination-expired'; data: NominationNoticeData & { nomineeName: string; respondedAt: string } }
  /** To the reviewers of an organization (issue 18): a review opened, a reminder, and the summary at the end. */
  | { template: 'access-review-opened' | 'access-review-reminder'; data: AccessReviewNoticeData & { undecided: number; total: number; unreviewedPolicy: AccessReviewUnreviewedPolicy } }
  /** To the help desk: a review near its due date still has users nobody reviewed. */
  | { template: 'access-review-escalated'; data: AccessReviewNoticeData & { undecided: number; total: number; reviewerNames: string[] } }
  | { template: 'access-review-completed'; data: AccessReviewNoticeData & { kept: number; removed: number; refused: number; unreviewed: number; unreviewedPolicy: AccessReviewUnreviewedPolicy } }
  /** Issue 19: the daily digest of the requests waiting on the recipient, by organization. */
  | { template: 'email-digest'; data: { localDate: string; total: number; organizations: EmailDigestContent['organizations'] } }
  /** To the user whose access was removed (rule 9). */
  | { template: 'access-removed'; data: { organizationName: string; role: DecisionRecord['role']; removedByName: string } }
  /** To the owner of a webhook subscription paused because every delivery failed for WEBHOOK_DISABLE_AFTER (issue 20). */
  | { template: 'webhook-paused'; data: { webhookId: string; url: string; failingSince: string; lastError: string } };

export type NotificationInput = {
  /** Stable per notice: a retried activity sends no second copy. */
  idempotencyKey: string;
  to: Recipient;
  /**
   * Issue 19: the recipient reads this in their daily digest: only the in-app notice is recorded
   * (and streamed), no email is sent. Absent in older histories.
   */
  digest?: boolean;
} & NotificationTemplate;

/** Activities served by services/notifications on its task queue. */
export interface NotificationActivities {
  /** `messageId` is empty for a notice left to the daily digest (no email). */
  sendNotification(input: NotificationInput): Promise<{ messageId: string; duplicate: boolean }>;
  /**
   * Sends several notices in one activity (the notices of one step of a request: its approvers, or
   * requester and decider), each exactly once. Fails when any fails; the retry sends only those not
   * yet sent (each notice's idempotency key). One activity instead of one per recipient: fewer
   * activity and workflow tasks per request (docs/BENCHMARKS.md).
   */
  sendNotifications(inputs: NotificationInput[]): Promise<{ messageId: string; duplicate: boolean }[]>;
  /**
   * Sends the email recorded in the ledger under this key (an account email), once; its single-use
   * link is removed from the ledger as soon as the SMTP server has accepted it.
   */
  sendRecordedEmail(input: { idempotencyKey: string }): Promise<{ messageId: string; duplicate: boolean }>;
}
