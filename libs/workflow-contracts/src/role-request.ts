import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { Decision, OrgRole, RequestStatus } from '@am/contracts';

export const ROLE_REQUEST_WORKFLOW = 'roleRequestWorkflow';

/** Workflow ids come from the business id, so operators find a request by it in Temporal's UI. */
export function roleRequestWorkflowId(requestId: string): string {
  return `role-request-${requestId}`;
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
}

export interface RoleRequestWorkflowInput {
  requestId: string;
  requesterId: string;
  organizationId: string;
  role: OrgRole;
  /** Task queues of the services whose activities the workflow calls. */
  taskQueues: { directory: string; notifications: string };
  timings: RequestTimings;
}

export interface DecideUpdateInput {
  deciderId: string;
  decision: Decision;
  reason?: string;
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
}

/** What the directory recorded; the update returns it once the role is granted or refused. */
export interface DecisionRecord {
  requestId: string;
  status: Extract<RequestStatus, 'APPROVED' | 'DENIED'>;
  role: OrgRole;
  reason: string | null;
  decidedAt: string;
  decider: Person;
  requester: Person;
  organization: { id: string; name: string };
}

/** A request that ended without a decision: withdrawn by its requester, or expired. */
export interface ClosureRecord {
  requestId: string;
  status: Extract<RequestStatus, 'WITHDRAWN' | 'EXPIRED'>;
  closedAt: string;
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
  escalated: boolean;
  decision: DecisionRecord | null;
  closedAt: string | null;
}

export const decideUpdate = defineUpdate<DecisionRecord, [DecideUpdateInput]>('decide');
export const withdrawUpdate = defineUpdate<ClosureRecord, [WithdrawUpdateInput]>('withdraw');
export const statusQuery = defineQuery<RoleRequestState>('status');

/** Details carried by a refusal of type ALREADY_DECIDED, so callers can say who decided what, when. */
export interface AlreadyDecidedDetails {
  status: RequestStatus;
  decidedBy: string | null;
  decidedById: string | null;
  decidedAt: string | null;
  /** True while another decision is being recorded: the caller may wait for it and report it. */
  inFlight?: boolean;
}
