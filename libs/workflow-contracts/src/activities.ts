import type { CreateRoleRequestCommand, DenyReasonCode, RemovalRecord, RemoveAccessCommand } from '@am/contracts';
import type { ClosureRecord, DecideUpdateInput, DecisionRecord, RequestParties, SubmissionRecord, UndoRecord } from './role-request';

/** A submission as the request's workflow records it: with the id chosen before the workflow started. */
export interface RecordSubmissionInput extends CreateRoleRequestCommand {
  requestId: string;
  /** When the workflow accepted the submission (ISO 8601): the caller proof must have been valid then. */
  acceptedAt: string;
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
  recordReminder(input: { requestId: string; reminder: number; escalated: boolean; notified: string[] }): Promise<void>;
  /**
   * Removes a user's access at an organization (rules 9-10), race-safe and audited. Business refusals
   * (self-removal, last Security Official, ACO) fail non-retryably with the domain error code as type.
   * Pass `removalId` (e.g. the workflow id) so a retry returns the recorded removal instead of 404.
   */
  removeAccess(input: RemoveAccessCommand & { acceptedAt?: string }): Promise<RemovalRecord>;
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
  /** To the user whose access was removed (rule 9). */
  | { template: 'access-removed'; data: { organizationName: string; role: DecisionRecord['role']; removedByName: string } };

export type NotificationInput = {
  /** Stable per notice: a retried activity sends no second copy. */
  idempotencyKey: string;
  to: Recipient;
} & NotificationTemplate;

/** Activities served by services/notifications on its task queue. */
export interface NotificationActivities {
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
