import { PROGRAM_APPROVER_NAME } from '@am/contracts';
import type { Person, RequestParties } from '@am/workflow-contracts';

/** Who decides (rule 3): the organization's Security Officials, or the help desk where it has none. */
export function approversOf(p: RequestParties): Person[] {
  return p.securityOfficials.length ? p.securityOfficials : p.helpDesk;
}

/** Their names as the requester is told them: the officials, or the program. */
export function approverNames(p: RequestParties): string[] {
  return p.securityOfficials.length ? p.securityOfficials.map((o) => o.displayName) : [PROGRAM_APPROVER_NAME];
}
