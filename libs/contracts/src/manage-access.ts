import type { OrganizationKind, OrganizationSummary, OrgRole } from './domain';
import type { ProvenCommand } from './messages';

/** Page bounds every paginated list shares: 1-based pages, at most MAX_PAGE_SIZE rows each. */
export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 200;

export interface PageQuery {
  page: number;
  pageSize: number;
}

export interface Page<T> {
  items: T[];
  page: number;
  pageSize: number;
  total: number;
}

/** A practice's CMS Web Interface / CAHPS for MIPS survey registration (rule 11). */
export interface RegistrationView {
  cmsWebInterface: boolean;
  cahpsSurvey: boolean;
  /** Whether the caller may change it now: a Security Official of the practice, inside the window. */
  editable: boolean;
  /** The registration window this year, as ISO dates (UTC, inclusive). */
  window: { opens: string; closes: string };
}

export interface OrganizationView extends OrganizationSummary {
  address: string;
  sharedSavingsAco: boolean;
  /** Practices only; null for other kinds. */
  registration: RegistrationView | null;
}

/**
 * Approver coverage (issue 18): NONE, no Security Official (the help desk decides); SINGLE, at
 * most one active one; COVERED, two or more active ones. A Security Official is active when they
 * signed in (or their account was made) within SECURITY_OFFICIAL_ACTIVE_DAYS and it is not disabled.
 */
export const COVERAGE_STATES = ['NONE', 'SINGLE', 'COVERED'] as const;
export type CoverageState = (typeof COVERAGE_STATES)[number];

export interface CoverageView {
  state: CoverageState;
  securityOfficials: number;
  activeSecurityOfficials: number;
}

export function coverageOf(securityOfficials: number, activeSecurityOfficials: number): CoverageView {
  const state: CoverageState = securityOfficials === 0 ? 'NONE' : activeSecurityOfficials >= 2 ? 'COVERED' : 'SINGLE';
  return { state, securityOfficials, activeSecurityOfficials };
}

/** The help desk's list of organizations by coverage (at risk, NONE and SINGLE, when no state is given). */
export interface CoverageQuery extends PageQuery {
  viewerId: string;
  state?: CoverageState;
}

export interface CoverageEntryView {
  organization: OrganizationSummary;
  coverage: CoverageView;
  /** Requests waiting for a decision at the organization. */
  pendingRequests: number;
  /** When the oldest of them was submitted, and how long ago (seconds); null with none. */
  oldestPendingAt: string | null;
  oldestPendingAgeSeconds: number | null;
}

/** One organization as GET /organizations/{id} and its users' page show it: with its coverage. */
export interface OrganizationDetailView extends OrganizationView {
  coverage: CoverageView;
}

export interface ManageAccessQuery extends PageQuery {
  userId: string;
  /** Filters connected organizations (and the requests shown) by organization name. */
  name?: string;
}

/** A request waiting for the caller's decision (the guide's "Pending requests" table). */
export interface PendingDecisionView {
  requestId: string;
  role: OrgRole;
  justification: string | null;
  createdAt: string;
  requester: { id: string; displayName: string; email: string };
  organization: OrganizationSummary;
}

/** The caller's own pending request, naming who can approve it (rules 3 and 6). */
export interface MyRequestView {
  requestId: string;
  role: OrgRole;
  createdAt: string;
  organization: OrganizationSummary;
  approvers: string[];
  /** When the approvers will next be reminded of it (issue 19: sooner in high-volume periods); null when none will. */
  nextReminderAt: string | null;
}

export interface ConnectedOrganizationView extends OrganizationView {
  myRole: OrgRole;
  coverage: CoverageView;
  connectedUsers: number;
  pendingUsers: number;
}

export interface ManageAccessView {
  /** Requests awaiting the caller's decision across all their organizations, oldest first, paginated. */
  pendingRequests: Page<PendingDecisionView>;
  myRequests: MyRequestView[];
  connectedOrganizations: Record<OrganizationKind, ConnectedOrganizationView[]>;
}

export interface SearchOrganizationsQuery extends PageQuery {
  q?: string;
  type?: OrganizationKind;
  viewerId: string;
}

export interface OrganizationQuery {
  organizationId: string;
  viewerId: string;
}

export interface OrganizationUsersQuery extends OrganizationQuery, PageQuery {}

export interface ConnectedUserView {
  user: { id: string; displayName: string; email: string };
  role: OrgRole;
  grantedAt: string;
}

export interface OrganizationUsersView {
  organization: OrganizationDetailView;
  pendingRequests: PendingDecisionView[];
  connectedUsers: Page<ConnectedUserView>;
}

export interface RemoveAccessCommand extends ProvenCommand {
  organizationId: string;
  userId: string;
  removedById: string;
  /** Required when the help desk removes an organization's only Security Official (rule 10). */
  reason?: string;
  /** Makes a retried removal (a Temporal activity) return what was recorded instead of failing. */
  removalId?: string;
}

export interface RemovalRecord {
  removalId: string | null;
  organization: { id: string; name: string };
  user: { id: string; displayName: string; email: string };
  role: OrgRole;
  removedBy: { id: string; displayName: string };
  reason: string | null;
  removedAt: string;
}

export interface UpdateRegistrationCommand extends ProvenCommand {
  organizationId: string;
  userId: string;
  cmsWebInterface: boolean;
  cahpsSurvey: boolean;
}

export interface AuditQuery extends PageQuery {
  viewerId: string;
  organizationId?: string;
  /** ISO timestamps, inclusive. */
  from?: string;
  to?: string;
  /**
   * Keyset paging, to read every event (the CSV export): the events after this one in the list's
   * order (newest first), whatever was appended meanwhile. `page` is ignored, and `total` is not
   * counted (-1). Pass the last event of the previous page.
   */
  after?: AuditCursor;
}

/** An audit event's place in the list's order (occurredAt, then id, both descending). */
export interface AuditCursor {
  occurredAt: string;
  id: string;
}

export interface AuditEventView {
  id: string;
  occurredAt: string;
  actorId: string | null;
  action: string;
  organizationId: string | null;
  subjectId: string | null;
  details: Record<string, unknown>;
  prevHash: string | null;
  hash: string | null;
}
