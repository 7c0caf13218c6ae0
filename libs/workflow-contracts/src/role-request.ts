import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { Decision, DenyReasonCode, OrgRole, RequestStatus, RoleRequestView } from '@am/contracts';
import type { ReminderCalendar } from './reminder-pace';

export const ROLE_REQUEST_WORKFLOW = 'roleRequestWorkflow';

/** Workflow ids come from the business id, so operators find a request by it in Temporal's UI. */
export function roleRequestWorkflowId(requestId: string): string {
  return `role-request-${requestId}`;
}

/**
 * The Update id of one decision call. Not derived from request, decider and decision alone: since
 * a denial can be undone (issue 17), the same decider may deny the same request twice, and Temporal
 * answers an Update id it has seen with its first result. A retry of a decision already recorded
 * is answered by the workflow instead (the same decider's same decision: 200 with the record).
 */
export function decisionUpdateId(requestId: string, deciderId: string, decision: Decision, call: string): string {
  return `decide/${requestId}/${deciderId}/${decision}/${call}`;
}

/** The Update id of one undo call (a request may be denied and undone more than once). */
export function undoUpdateId(requestId: string, actorId: string, call: string): string {
  return `undo/${requestId}/${actorId}/${call}`;
}

export function withdrawalUpdateId(requestId: string, requesterId: string): string {
  return `withdraw/${requestId}/${requesterId}`;
}

/**
 * When a pending request reminds, escalates and expires (PRODUCT.md rule 7). Copied from the
 * service's configuration into the input when the workflow starts, so a configuration change
 * never disturbs a request already running.
 */
export interface RequestTimings {
  firstReminderAfterMs: number;
  reminderIntervalMs: number;
  /** The help desk is alerted together with this reminder (the 3rd by default). */
  escalateWithReminder: number;
  expireAfterMs: number;
  /**
   * How long a denial can be undone before it is final and the requester is told (issue 17).
   * Absent (requests started before undo existed) or 0: a denial is final at once.
   */
  denyUndoWindowMs?: number;
}

export interface RoleRequestWorkflowInput {
  requestId: string;
  requesterId: string;
  organizationId: string;
  role: OrgRole;
  /** Task queues of the services whose activities the workflow calls. */
  taskQueues: { directory: string; notifications: string };
  timings: RequestTimings;
  /**
   * The program calendar over the request's life (issue 19): inside its high-volume periods the
   * request reminds at their pace. Absent in requests started before: they keep `timings` alone.
   */
  calendar?: ReminderCalendar;
  /**
   * True since issue 16: the request is submitted through this workflow (Update-with-Start of its
   * submit Update), which records it in the directory; no row exists before. Absent in requests
   * opened the old way, whose row the directory wrote before their workflow started.
   */
  recordsSubmission?: boolean;
}

/** The submission, delivered with the workflow's start: the workflow records it and answers with the view. */
export interface SubmitUpdateInput {
  justification?: string;
  /** The gateway's caller proof for this submission, verified by the directory when it records it. */
  proof: string;
}

/** What the directory recorded for a submission: the view the requester is answered, and who the request concerns. */
export interface SubmissionRecord {
  view: RoleRequestView;
  parties: RequestParties;
}

export interface DecideUpdateInput {
  deciderId: string;
  decision: Decision;
  reason?: string;
  /** Denials: why (issue 17); the directory records OTHER when absent. */
  reasonCode?: DenyReasonCode;
  /** The gateway's caller proof for this decision: the directory verifies it when it records the decision (issue 14). */
  proof?: string;
}

export interface WithdrawUpdateInput {
  requesterId: string;
  /** The gateway's caller proof for this withdrawal, verified by the directory. */
  proof?: string;
}

export interface Person {
  id: string;
  displayName: string;
  email: string;
  /**
   * Issue 19: the person chose the daily digest, so the emails asking them to decide (submitted,
   * reminders) wait for it. Set only on the parties' approvers; absent means immediate (and in
   * older histories).
   */
  dailyDigest?: boolean;
}

/** What the directory recorded; the update returns it once the role is granted or refused. */
export interface DecisionRecord {
  requestId: string;
  status: Extract<RequestStatus, 'APPROVED' | 'DENIED'>;
  role: OrgRole;
  reason: string | null;
  /** Denials: why (absent in older histories). */
  reasonCode?: DenyReasonCode | null;
  decidedAt: string;
  decider: Person;
  requester: Person;
  organization: { id: string; name: string };
  /** The decided request as its decider sees it: what the approve or deny answers (absent in older histories). */
  view?: RoleRequestView;
  /** Denials with an undo window (issue 17): until when any approver may undo it (ISO 8601). */
  undoUntil?: string | null;
}

export interface UndoUpdateInput {
  actorId: string;
  /** The gateway's caller proof for this undo, verified by the directory when it records it. */
  proof?: string;
}

/** What the directory recorded for an undone denial: the request is PENDING again. */
export interface UndoRecord {
  requestId: string;
  undoneAt: string;
  undoneBy: Person;
  /** The denial that was undone: who denied it, when, why. */
  undone: { deciderId: string; deciderName: string; decidedAt: string; reasonCode: DenyReasonCode | null };
  /** The pending request as its undoer sees it: what the undo answers. */
  view: RoleRequestView;
}

/** A request that ended without a decision: withdrawn by its requester, or expired. */
export interface ClosureRecord {
  requestId: string;
  status: Extract<RequestStatus, 'WITHDRAWN' | 'EXPIRED'>;
  closedAt: string;
  /** The closed request as its requester sees it: what the withdrawal answers (absent in older histories). */
  view?: RoleRequestView;
  /** Withdrawals: who could decide the request when it was withdrawn, to be told there is nothing left to decide. */
  approvers?: Person[];
}

/** Who a request concerns, as the directory knows it now (approvers change while a request waits). */
export interface RequestParties {
  requestId: string;
  status: RequestStatus;
  role: OrgRole;
  justification: string | null;
  /** When the requester submitted it (ISO 8601). */
  submittedAt: string;
  requester: Person;
  organization: { id: string; name: string };
  /** The Security Officials; empty when the organization has none and the help desk decides (rule 3). */
  securityOfficials: Person[];
  /** Users with the help desk platform role. */
  helpDesk: Person[];
}

/** What the status Query answers: enough for an operator to understand a request at a glance. */
export interface RoleRequestState {
  requestId: string;
  status: RequestStatus;
  role: OrgRole;
  requester: { id: string; displayName: string } | null;
  organization: { id: string; name: string } | null;
  /** Names of who can decide, as last read from the directory. */
  approvers: string[];
  remindersSent: number;
  /** When the next reminder goes out (ISO 8601); null once none will (closed, or it would come after the expiry). Absent in older histories. */
  nextReminderAt?: string | null;
  escalated: boolean;
  decision: DecisionRecord | null;
  /** Denials undone inside their window (issue 17), oldest first (absent in older histories). */
  undone?: UndoRecord[];
  closedAt: string | null;
  /** Why the submission was refused (duplicate, role held, ACO...): the request was never recorded. */
  refusal?: { code: string; message: string } | null;
}

export const submitUpdate = defineUpdate<RoleRequestView, [SubmitUpdateInput]>('submit');
export const decideUpdate = defineUpdate<DecisionRecord, [DecideUpdateInput]>('decide');
export const withdrawUpdate = defineUpdate<ClosureRecord, [WithdrawUpdateInput]>('withdraw');
export const undoUpdate = defineUpdate<UndoRecord, [UndoUpdateInput]>('undo');
export const statusQuery = defineQuery<RoleRequestState>('status');

/** The details of an ALREADY_DECIDED refusal, so callers can say who decided what, when. */
export interface AlreadyDecidedDetails {
  status: RequestStatus;
  decidedBy: string | null;
  decidedById: string | null;
  decidedAt: string | null;
}
