import { PROGRAM_APPROVER_NAME, type RoleRequestView } from '@am/contracts';
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
    createdAt: row.createdAt.toISOString(),
  };
}
