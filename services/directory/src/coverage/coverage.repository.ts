import { Injectable } from '@nestjs/common';
import type { CoverageState } from '@am/contracts';
import { Prisma } from '../generated/prisma/client';
import { PrismaService } from '../prisma/prisma.service';

/** An organization's Security Officials, all and active ones (issue 18). */
export interface OfficialCounts {
  organizationId: string;
  securityOfficials: number;
  activeSecurityOfficials: number;
}

export interface CoverageRow extends OfficialCounts {
  kind: string;
  identifier: string;
  name: string;
  pendingRequests: number;
  oldestPendingAt: Date | null;
  total: number;
}

/**
 * Active: signed in (or, never signed in, the account made) since `activeSince`, and not disabled.
 * One expression, so every view of coverage counts alike.
 */
const active = (since: Date) => Prisma.sql`(u.disabled_at IS NULL AND COALESCE(u.last_signed_in_at, u.created_at) > ${since})`;

/** The only code that reads approver coverage: counts of Security Officials, and the help desk's list. */
@Injectable()
export class CoverageRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** The counts of these organizations, one indexed read; organizations with no official are absent. */
  async officialCounts(organizationIds: string[], activeSince: Date): Promise<Map<string, OfficialCounts>> {
    if (!organizationIds.length) return new Map();
    const rows = await this.prisma.$queryRaw<OfficialCounts[]>`
      SELECT a.organization_id::text AS "organizationId", count(*)::int AS "securityOfficials",
             (count(*) FILTER (WHERE ${active(activeSince)}))::int AS "activeSecurityOfficials"
      FROM role_assignments a JOIN users u ON u.id = a.user_id
      WHERE a.role = 'SECURITY_OFFICIAL' AND a.organization_id = ANY(${organizationIds}::uuid[])
      GROUP BY a.organization_id`;
    return new Map(rows.map((r) => [r.organizationId, r]));
  }

  /**
   * Every organization (but Shared Savings Program ACOs, whose roles ACO-MS manages) with its
   * coverage and pending requests, in `states`; the riskiest first: no official, then the most
   * requests waiting, the oldest waiting longest. One query; the total by window.
   */
  async list(states: CoverageState[], activeSince: Date, skip: number, take: number): Promise<CoverageRow[]> {
    return this.prisma.$queryRaw<CoverageRow[]>`
      WITH officials AS (
        SELECT a.organization_id, count(*)::int AS n, (count(*) FILTER (WHERE ${active(activeSince)}))::int AS active
        FROM role_assignments a JOIN users u ON u.id = a.user_id
        WHERE a.role = 'SECURITY_OFFICIAL'
        GROUP BY a.organization_id),
      pending AS (
        SELECT organization_id, count(*)::int AS n, min(created_at) AS oldest
        FROM role_requests WHERE status = 'PENDING' GROUP BY organization_id),
      coverage AS (
        SELECT o.id, o.kind, o.identifier, o.name, COALESCE(f.n, 0) AS officials, COALESCE(f.active, 0) AS active,
               COALESCE(p.n, 0) AS pending, p.oldest,
               CASE WHEN COALESCE(f.n, 0) = 0 THEN 'NONE' WHEN COALESCE(f.active, 0) >= 2 THEN 'COVERED' ELSE 'SINGLE' END AS state
        FROM organizations o LEFT JOIN officials f ON f.organization_id = o.id LEFT JOIN pending p ON p.organization_id = o.id
        WHERE NOT o.shared_savings_aco)
      SELECT id::text AS "organizationId", kind::text AS kind, identifier, name, officials AS "securityOfficials", active AS "activeSecurityOfficials",
             pending AS "pendingRequests", oldest AS "oldestPendingAt", count(*) OVER ()::int AS total
      FROM coverage WHERE state = ANY(${states}::text[])
      ORDER BY (state = 'NONE') DESC, pending DESC, oldest ASC NULLS LAST, name, id
      LIMIT ${take} OFFSET ${skip}`;
  }

  findUser(id: string) {
    return this.prisma.user.findUnique({ where: { id }, select: { platformRole: true } });
  }
}
