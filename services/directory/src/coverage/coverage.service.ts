import { Inject, Injectable } from '@nestjs/common';
import { coverageOf, DomainError, ERROR_CODES, type CoverageEntryView, type CoverageQuery, type CoverageView, type OrganizationKind, type Page } from '@am/contracts';
import { CLOCK, type Clock } from '../clock/clock';
import { DIRECTORY_CONFIG, type DirectoryConfig } from '../config/directory.config';
import { pageBounds } from '../organizations/pagination';
import { CoverageRepository } from './coverage.repository';

const DAY_MS = 86_400_000;

/** Approver coverage (issue 18): whether an organization hangs on one person, and the help desk's list of those that do. */
@Injectable()
export class CoverageService {
  constructor(
    private readonly repo: CoverageRepository,
    @Inject(DIRECTORY_CONFIG) private readonly config: DirectoryConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** Since when a Security Official who signed in counts as active. */
  private activeSince(): Date {
    return new Date(this.clock.now().getTime() - this.config.SECURITY_OFFICIAL_ACTIVE_DAYS * DAY_MS);
  }

  /** The coverage of each of these organizations. */
  async of(organizationIds: string[]): Promise<Map<string, CoverageView>> {
    const counts = await this.repo.officialCounts(organizationIds, this.activeSince());
    return new Map(organizationIds.map((id) => [id, coverageOf(counts.get(id)?.securityOfficials ?? 0, counts.get(id)?.activeSecurityOfficials ?? 0)]));
  }

  async ofOne(organizationId: string): Promise<CoverageView> {
    return (await this.of([organizationId])).get(organizationId)!;
  }

  /** The help desk's list: organizations at risk (NONE and SINGLE) unless a state is asked for. */
  async list(query: CoverageQuery): Promise<Page<CoverageEntryView>> {
    const viewer = await this.repo.findUser(query.viewerId);
    if (viewer?.platformRole !== 'HELP_DESK') throw new DomainError(ERROR_CODES.FORBIDDEN, 'Only the help desk can list the coverage of every organization');
    const { page, pageSize, skip } = pageBounds(query);
    const now = this.clock.now().getTime();
    const states = query.state ? [query.state] : (['NONE', 'SINGLE'] as const);
    const rows = await this.repo.list([...states], this.activeSince(), skip, pageSize);
    // Past the last page: the total from the first row of the list.
    const total = rows[0]?.total ?? (skip > 0 ? ((await this.repo.list([...states], this.activeSince(), 0, 1))[0]?.total ?? 0) : 0);
    return {
      items: rows.map((r) => ({
        organization: { id: r.organizationId, kind: r.kind as OrganizationKind, identifier: r.identifier, name: r.name },
        coverage: coverageOf(r.securityOfficials, r.activeSecurityOfficials),
        pendingRequests: r.pendingRequests,
        oldestPendingAt: r.oldestPendingAt?.toISOString() ?? null,
        oldestPendingAgeSeconds: r.oldestPendingAt ? Math.max(0, Math.floor((now - r.oldestPendingAt.getTime()) / 1000)) : null,
      })),
      page,
      pageSize,
      total,
    };
  }
}
