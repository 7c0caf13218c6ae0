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
    createdAt: row.createdAt.toISOString(),
  };
}

/** A denial's code (OTHER for denials recorded before codes) and the suggestion fitted to it (issue 17). */
function denial(row: LockedRequest): Pick<RoleRequestView, 'reasonCode' | 'resubmit'> {
  if (row.status !== 'DENIED') return { reasonCode: null, resubmit: null };
  const code = (row.reasonCode as DenyReasonCode | null) ?? 'OTHER';
  return { reasonCode: code, resubmit: resubmitSuggestion(code, { organizationId: row.organization.id, organizationName: row.organization.name, role: row.role }) };
}
