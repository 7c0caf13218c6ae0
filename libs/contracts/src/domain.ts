/** The four kinds of organization that report to the program (PRODUCT.md section 1). */
export const ORGANIZATION_KINDS = ['PRACTICE', 'VIRTUAL_GROUP', 'APM_ENTITY', 'REGISTRY'] as const;
export type OrganizationKind = (typeof ORGANIZATION_KINDS)[number];

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
  createdAt: string;
}
