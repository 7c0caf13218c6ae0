import { DENY_REASON_CODES, DENY_REASON_LABELS, resubmitPath, type DenyReasonCode, type RoleRequestView } from '@am/contracts';

/**
 * The reason codes as the decider chooses among them. The requester reads DENY_REASON_LABELS
 * (addressed to them: "You are not affiliated ..."), shown beside each choice.
 */
export const DENY_REASON_CHOICES: { code: DenyReasonCode; label: string; requesterReads: string }[] = DENY_REASON_CODES.map((code) => ({
  code,
  label: {
    NOT_AFFILIATED: 'Not affiliated with the organization',
    WRONG_ORGANIZATION: 'Wrong organization',
    WRONG_ROLE: 'Wrong role',
    NEEDS_JUSTIFICATION: 'Needs a justification',
    OTHER: 'Other (say why below)',
  }[code],
  requesterReads: DENY_REASON_LABELS[code],
}));

/** The rule the web UI checks before asking the API: a code is required, and OTHER needs a reason. */
export function denyReasonProblem(code: DenyReasonCode | null, reason: string): { field: 'reasonCode' | 'reason'; message: string } | null {
  if (!code) return { field: 'reasonCode', message: 'Choose why you are denying: the requester is told the reason.' };
  if (code === 'OTHER' && !reason.trim()) return { field: 'reason', message: 'Enter a reason: a reason is required when you choose “Other”.' };
  return null;
}

/**
 * Where "Request again" goes for a denial: the path the requester's email links to too
 * (resubmitPath, built once in the contracts), or null where there is no one-click resubmit.
 */
export function requestAgainPath(r: Pick<RoleRequestView, 'id' | 'reasonCode' | 'resubmit'>): string | null {
  return r.reasonCode && r.resubmit ? resubmitPath(r.id, r.reasonCode, r.resubmit) : null;
}

/** Said near every approve action (issue 17): only denials have an undo window. */
export const APPROVAL_IS_FINAL = 'Approvals take effect at once and can’t be undone. To reverse one, remove the user’s access.';
