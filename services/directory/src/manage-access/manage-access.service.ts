import { Injectable } from '@nestjs/common';
import { ORGANIZATION_KINDS, type ConnectedOrganizationView, type ManageAccessQuery, type ManageAccessView, type OrganizationKind } from '@am/contracts';
import { toOrganizationView, toSummary } from '../organizations/organization.mapper';
import { pageBounds } from '../organizations/pagination';
import { RegistrationPolicy } from '../organizations/registration.policy';
import { CoverageService } from '../coverage/coverage.service';
import { approverNames } from '../role-requests/role-request.mapper';
import { ManageAccessRepository } from './manage-access.repository';

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
    const officialAt = connected.filter((o) => o.myRole === 'SECURITY_OFFICIAL').map((o) => o.id);
    const scope = user?.platformRole === 'HELP_DESK' ? ({ helpDesk: true } as const) : { officialAt };
    const decidesNothing = !('helpDesk' in scope) && officialAt.length === 0;
    const [awaiting, officials, coverage] = await Promise.all([
      decidesNothing ? { rows: [], total: 0 } : this.repo.awaitingDecision(scope, query.userId, name, skip, pageSize),
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
}
