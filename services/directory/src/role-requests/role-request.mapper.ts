import { PROGRAM_APPROVER_NAME, resubmitSuggestion, type DenyReasonCode, type RoleRequestView } from '@am/contracts';
import { roleRequestWorkflowId } from '@am/workflow-contracts';
import type { LockedRequest } from './role-requests.repository';

/** Names who can decide: the Security Officials, or the program's help desk when there are none (rule 3). */
export function approverNames(officials: { displayName: string }[]): string[] {
  return officials.length ? officials.map((o) => o.displayName) : [PROGRAM_APPROVER_NAME];
}

export function toRoleRequestView(row: LockedRequest, officials: { displayName: string }[]): RoleRequestView {
  return {
    id: row.id,
    workflowId: roleRequestWorkflowId(row.id),
    status: row.status,
    role: row.role,
    justification: row.justification,
    organization: {
      id: row.organization.id,
      kind: row.organization.kind,
      identifier: row.organization.identifier,
      name: row.organization.name,
    },
    requester: { id: row.requester.id, displayName: row.requester.displayName },
    approvers: approverNames(officials),
    decidedBy: row.decidedBy ? { id: row.decidedBy.id, displayName: row.decidedBy.displayName } : null,
    decidedAt: row.decidedAt?.toISOString() ?? null,
    reason: row.reason,
    ...denial(row),
    undoUntil: row.status === 'DENIED' ? (row.undoUntil?.toISOString() ?? null) : null,
    nextReminderAt: row.status === 'PENDING' ? (row.nextReminderAt?.toISOString() ?? null) : null,
    createdAt: row.createdAt.toISOString(),
  };
}

/** Whether a denial can still be undone at `now`: the requester has not been told of it yet (issue 17). */
export function inUndoWindow(row: Pick<LockedRequest, 'status' | 'undoUntil'>, now = new Date()): boolean {
  return row.status === 'DENIED' && row.undoUntil !== null && row.undoUntil > now;
}

/**
 * The request as its requester sees it: a denial still inside its undo window is not final and
 * the requester is told nothing of it yet, so they see their request pending, as it was.
 */
export function asRequesterSeesIt(view: RoleRequestView, row: Pick<LockedRequest, 'status' | 'undoUntil'>): RoleRequestView {
  if (!inUndoWindow(row)) return view;
  return { ...view, status: 'PENDING', decidedBy: null, decidedAt: null, reason: null, reasonCode: null, resubmit: null, undoUntil: null };
}

/** A denial's code (OTHER for denials recorded before codes) and the suggestion fitted to it (issue 17). */
function denial(row: LockedRequest): Pick<RoleRequestView, 'reasonCode' | 'resubmit'> {
  if (row.status !== 'DENIED') return { reasonCode: null, resubmit: null };
  const code = (row.reasonCode as DenyReasonCode | null) ?? 'OTHER';
  return { reasonCode: code, resubmit: resubmitSuggestion(code, { organizationId: row.organization.id, organizationName: row.organization.name, role: row.role }) };
}
