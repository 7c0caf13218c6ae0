import { Injectable } from '@nestjs/common';
import { ORGANIZATION_KINDS, type ConnectedOrganizationView, type ManageAccessQuery, type ManageAccessView, type OrganizationKind } from '@am/contracts';
import { toOrganizationView, toSummary } from '../organizations/organization.mapper';
import { pageBounds } from '../organizations/pagination';
import { RegistrationPolicy } from '../organizations/registration.policy';
import { CoverageService } from '../coverage/coverage.service';
import { approverNames } from '../role-requests/role-request.mapper';
import { ManageAccessRepository, type ConnectedOrganizationRow } from './manage-access.repository';

/** What the guide's Manage Access page shows a signed-in user (seed 000), in two rounds of indexed queries. */
@Injectable()
export class ManageAccessService {
  constructor(
    private readonly repo: ManageAccessRepository,
    private readonly registration: RegistrationPolicy,
    private readonly coverage: CoverageService,
  ) {}

  async view(query: ManageAccessQuery): Promise<ManageAccessView> {
    const name = query.name?.trim() || undefined;
    const { page, pageSize, skip } = pageBounds(query);
    const [user, connected, mine] = await Promise.all([
      this.repo.findUser(query.userId),
      this.repo.connectedOrganizations(query.userId, name),
      this.repo.myPending(query.userId, name),
    ]);
    const [awaiting, officials, coverage] = await Promise.all([
      this.awaiting(user, connected, query.userId, name, skip, pageSize),
      mine.length ? this.repo.officialsOf(mine.map((r) => r.organizationId)) : [],
      this.coverage.of(connected.map((o) => o.id)),
    ]);

    const grouped = Object.fromEntries(ORGANIZATION_KINDS.map((k) => [k, [] as ConnectedOrganizationView[]])) as Record<OrganizationKind, ConnectedOrganizationView[]>;
    for (const o of connected) {
      const { myRole, connectedUsers, pendingUsers, ...org } = o;
      grouped[o.kind].push({
        ...toOrganizationView(org, (row) => this.registration.view(row, myRole === 'SECURITY_OFFICIAL')),
        myRole,
        coverage: coverage.get(o.id)!,
        connectedUsers,
        pendingUsers,
      });
    }
    return {
      pendingRequests: {
        items: awaiting.rows.map((r) => ({
          requestId: r.requestId,
          role: r.role,
          justification: r.justification,
          createdAt: r.createdAt.toISOString(),
          requester: { id: r.requesterId, displayName: r.requesterName, email: r.requesterEmail },
          organization: { id: r.organizationId, kind: r.organizationKind, identifier: r.organizationIdentifier, name: r.organizationName },
        })),
        page,
        pageSize,
        total: awaiting.total,
      },
      myRequests: mine.map((r) => ({
        requestId: r.id,
        role: r.role,
        createdAt: r.createdAt.toISOString(),
        organization: toSummary(r.organization),
        approvers: approverNames(officials.filter((o) => o.organizationId === r.organizationId).map((o) => o.user)),
        nextReminderAt: r.status === 'PENDING' ? (r.nextReminderAt?.toISOString() ?? null) : null,
      })),
      connectedOrganizations: grouped,
    };
  }

  /**
   * The first `take` pending requests waiting on the user's decision, as the page lists them, and
   * their total: what the daily digest lists (issue 19).
   */
  async awaitingDecision(userId: string, take: number) {
    const [user, connected] = await Promise.all([this.repo.findUser(userId), this.repo.connectedOrganizations(userId)]);
    return this.awaiting(user, connected, userId, undefined, 0, take);
  }

  /** Who decides (rule 3): at the organizations where the user is a Security Official, or (help desk) those with none. */
  private awaiting(user: { platformRole: string | null } | null, connected: ConnectedOrganizationRow[], userId: string, name: string | undefined, skip: number, take: number) {
    const officialAt = connected.filter((o) => o.myRole === 'SECURITY_OFFICIAL').map((o) => o.id);
    const scope = user?.platformRole === 'HELP_DESK' ? ({ helpDesk: true } as const) : { officialAt };
    if (!('helpDesk' in scope) && officialAt.length === 0) return { rows: [], total: 0 };
    return this.repo.awaitingDecision(scope, userId, name, skip, take);
  }
}
