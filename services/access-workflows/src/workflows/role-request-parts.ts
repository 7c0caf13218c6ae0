// What both role-request workflows (the current one and the legacy one for requests opened before
// issue 16) share: none of it schedules anything, so changing it never changes a history.
import { PROGRAM_APPROVER_NAME } from '@am/contracts';
import type { NotificationInput, NotificationTemplate, Person, RequestParties, RoleRequestState, RoleRequestWorkflowInput } from '@am/workflow-contracts';

/** One notice of a request: its key within the request, to whom, what it says. */
export interface Notice {
  key: string;
  to: Person;
  notice: NotificationTemplate;
}

/** A request's state before anything has happened to it. */
export function initialState(input: RoleRequestWorkflowInput): RoleRequestState {
  return {
    requestId: input.requestId,
    status: 'PENDING',
    role: input.role,
    requester: null,
    organization: null,
    approvers: [],
    remindersSent: 0,
    escalated: false,
    decision: null,
    closedAt: null,
  };
}

/** The emails that ask an approver to decide: these wait for the approver's daily digest (issue 19). */
const DIGESTED: ReadonlySet<NotificationTemplate['template']> = new Set(['request-submitted-approver', 'request-reminder']);

/**
 * A notice as the notifications activity takes it: keyed within the request, so a retried activity
 * sends no second copy; the recipient's user id rides along for the in-app notice. An approver on
 * the daily digest gets the in-app notice only (issue 19): only the activity's input changes, never
 * what the workflow schedules, so recorded histories replay.
 */
export function noticeInput(requestId: string, n: Notice): NotificationInput {
  const digest = n.to.dailyDigest === true && DIGESTED.has(n.notice.template);
  return { idempotencyKey: `role-request-${requestId}/${n.key}`, to: { email: n.to.email, displayName: n.to.displayName, userId: n.to.id }, ...(digest ? { digest } : {}), ...n.notice };
}

/** Who decides (rule 3): the organization's Security Officials, or the help desk where it has none. */
export function approversOf(p: RequestParties): Person[] {
  return p.securityOfficials.length ? p.securityOfficials : p.helpDesk;
}

/** Their names as the requester is told them: the officials, or the program. */
export function approverNames(p: RequestParties): string[] {
  return p.securityOfficials.length ? p.securityOfficials.map((o) => o.displayName) : [PROGRAM_APPROVER_NAME];
}
