/** The four kinds of organization that report to the program (PRODUCT.md section 1). */
export const ORGANIZATION_KINDS = ['PRACTICE', 'VIRTUAL_GROUP', 'APM_ENTITY', 'REGISTRY'] as const;
export type OrganizationKind = (typeof ORGANIZATION_KINDS)[number];
/** What each kind's identifier is called, as the guides show it ("TIN: 000549237"): the web UI and the emails alike. */
export const IDENTIFIER_LABELS: Record<OrganizationKind, string> = { PRACTICE: 'TIN', VIRTUAL_GROUP: 'Virtual Group ID', APM_ENTITY: 'APM Entity ID', REGISTRY: 'Registry ID' };

/** Roles a user can hold at one organization; a Security Official has every Staff User ability. */
export const ORG_ROLES = ['SECURITY_OFFICIAL', 'STAFF_USER'] as const;
export type OrgRole = (typeof ORG_ROLES)[number];

/** How each role is named to people, everywhere (emails, pages, messages). */
export const ROLE_LABELS: Record<OrgRole, string> = { SECURITY_OFFICIAL: 'Security Official', STAFF_USER: 'Staff User' };

/** Platform roles belong to no organization: the program's service center is the help desk. */
export const PLATFORM_ROLES = ['HELP_DESK'] as const;
export type PlatformRole = (typeof PLATFORM_ROLES)[number];

export const REQUEST_STATUSES = ['PENDING', 'APPROVED', 'DENIED', 'WITHDRAWN', 'EXPIRED'] as const;
export type RequestStatus = (typeof REQUEST_STATUSES)[number];

export const DECISIONS = ['APPROVE', 'DENY'] as const;
export type Decision = (typeof DECISIONS)[number];

/** Why a request was denied (issue 17): the requester is told it in plain words, with what to do next. */
export const DENY_REASON_CODES = ['NOT_AFFILIATED', 'WRONG_ORGANIZATION', 'WRONG_ROLE', 'NEEDS_JUSTIFICATION', 'OTHER'] as const;
export type DenyReasonCode = (typeof DENY_REASON_CODES)[number];

/** Each reason code in plain words, as the requester reads it. */
export const DENY_REASON_LABELS: Record<DenyReasonCode, string> = {
  NOT_AFFILIATED: 'You are not affiliated with this organization.',
  WRONG_ORGANIZATION: 'This is not the organization you report for.',
  WRONG_ROLE: 'This is not the role you need at this organization.',
  NEEDS_JUSTIFICATION: 'The request needs a justification saying why you need this role.',
  OTHER: 'The Security Official gave another reason.',
};

/** What a denied requester may do next: a prefilled new request where one makes sense, and a hint. */
export interface ResubmitSuggestion {
  organizationId?: string;
  role?: OrgRole;
  hint: string;
}

/** The suggestion fitted to the reason code (issue 17): worded here only, for the view, the email and the UI. */
export function resubmitSuggestion(code: DenyReasonCode, request: { organizationId: string; organizationName: string; role: OrgRole }): ResubmitSuggestion {
  const at = request.organizationName;
  switch (code) {
    case 'WRONG_ROLE': {
      const other: OrgRole = request.role === 'SECURITY_OFFICIAL' ? 'STAFF_USER' : 'SECURITY_OFFICIAL';
      return { organizationId: request.organizationId, role: other, hint: `Request the ${ROLE_LABELS[other]} role at ${at} instead.` };
    }
    case 'NEEDS_JUSTIFICATION':
      return { organizationId: request.organizationId, role: request.role, hint: `Submit the request again with a justification saying why you need the ${ROLE_LABELS[request.role]} role at ${at}.` };
    case 'WRONG_ORGANIZATION':
      return { hint: 'Search for the organization you report for, and request your role there.' };
    case 'NOT_AFFILIATED':
      return { hint: `Contact ${at} to confirm your affiliation before you request a role there again.` };
    case 'OTHER':
      return { organizationId: request.organizationId, role: request.role, hint: 'If the reason no longer applies, you may submit a new request.' };
  }
}

/**
 * Where "Request again" opens the web app for a denied request (issue 17), relative to its base
 * URL: the Connect screen prefilled with the suggestion, with the denied request named so it can
 * say why. Null where the suggestion offers no one-click resubmit (NOT_AFFILIATED).
 */
export function resubmitPath(requestId: string, code: DenyReasonCode, s: ResubmitSuggestion): string | null {
  if (code === 'NOT_AFFILIATED') return null;
  const query = new URLSearchParams();
  if (s.organizationId) query.set('organizationId', s.organizationId);
  if (s.role) query.set('role', s.role);
  query.set('again', requestId);
  return `/connect?${query.toString()}`;
}

/** Shown to a requester when the organization has no Security Official (rule 3). */
export const PROGRAM_APPROVER_NAME = 'the Quality Payment Program';

export interface OrganizationSummary {
  id: string;
  kind: OrganizationKind;
  identifier: string;
  name: string;
}

export interface UserRoleView {
  organization: OrganizationSummary;
  role: OrgRole;
}

export interface UserView {
  id: string;
  loginId: string;
  displayName: string;
  email: string;
  platformRole: PlatformRole | null;
}

export interface MeView extends UserView {
  roles: UserRoleView[];
}

export interface RoleRequestView {
  id: string;
  workflowId: string;
  status: RequestStatus;
  role: OrgRole;
  justification: string | null;
  organization: OrganizationSummary;
  requester: { id: string; displayName: string };
  /** Names of those who can decide: the Security Officials, or the program when there are none. */
  approvers: string[];
  decidedBy: { id: string; displayName: string } | null;
  decidedAt: string | null;
  reason: string | null;
  /** Denials: why, as a code (issue 17); null otherwise. Denials recorded before reason codes read OTHER. */
  reasonCode: DenyReasonCode | null;
  /** Denials: what the requester may do next; null otherwise. */
  resubmit: ResubmitSuggestion | null;
  /**
   * Denials with an undo window (issue 17): when the window closes (ISO 8601); in the past once the
   * denial is final. Until then any approver of the request may undo the denial and the requester
   * has not been told. Null for everything else, and for the requester.
   */
  undoUntil: string | null;
  /**
   * Pending requests (issue 19): when the approvers will next be reminded (ISO 8601), at the pace
   * of the program calendar (sooner in high-volume periods). Null once none will (the request
   * expires first, or it is closed), and for requests submitted before the calendar paced them.
   */
  nextReminderAt: string | null;
  createdAt: string;
}
