import { Injectable } from '@nestjs/common';
import type { OrganizationKind, OrgRole } from '@am/contracts';
import { Prisma } from '../generated/prisma/client';
import { PrismaService } from '../prisma/prisma.service';

const nameFilter = (name?: string): Prisma.OrganizationWhereInput => (name ? { name: { contains: name, mode: 'insensitive' } } : {});
const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

export interface ConnectedOrganizationRow {
  id: string;
  kind: OrganizationKind;
  identifier: string;
  name: string;
  address: string;
  sharedSavingsAco: boolean;
  cmsWebInterface: boolean;
  cahpsSurvey: boolean;
  createdAt: Date;
  myRole: OrgRole;
  connectedUsers: number;
  pendingUsers: number;
}

export interface AwaitingRow {
  requestId: string;
  role: OrgRole;
  justification: string | null;
  createdAt: Date;
  requesterId: string;
  requesterName: string;
  requesterEmail: string;
  organizationId: string;
  organizationKind: OrganizationKind;
  organizationIdentifier: string;
  organizationName: string;
}

/** Reads for the Manage Access page; each is one indexed query over all of the user's organizations at once. */
@Injectable()
export class ManageAccessRepository {
  constructor(private readonly prisma: PrismaService) {}

  findUser(id: string) {
    return this.prisma.user.findUnique({ where: { id }, select: { id: true, platformRole: true } });
  }

  /** The user's organizations with their role and both counts, in one query (the page's main table). */
  connectedOrganizations(userId: string, name?: string) {
    const pattern = name ? `%${escapeLike(name)}%` : null;
    return this.prisma.$queryRaw<ConnectedOrganizationRow[]>`
      SELECT o.id::text AS id, o.kind::text AS kind, o.identifier, o.name, o.address,
             o.shared_savings_aco AS "sharedSavingsAco", o.cms_web_interface AS "cmsWebInterface",
             o.cahps_survey AS "cahpsSurvey", o.created_at AS "createdAt", a.role::text AS "myRole",
             (SELECT count(*)::int FROM role_assignments c WHERE c.organization_id = o.id) AS "connectedUsers",
             (SELECT count(*)::int FROM role_requests p WHERE p.organization_id = o.id AND p.status = 'PENDING') AS "pendingUsers"
      FROM role_assignments a JOIN organizations o ON o.id = a.organization_id
      WHERE a.user_id = ${userId}::uuid AND (${pattern}::text IS NULL OR o.name ILIKE ${pattern}::text)
      ORDER BY o.name, o.id`;
  }

  /**
   * Pending requests the user decides: at the organizations where they are a Security Official, or
   * (help desk) at organizations with none. Never their own (rule 4). One query; total by window.
   */
  async awaitingDecision(scope: { officialAt: string[] } | { helpDesk: true }, userId: string, name: string | undefined, skip: number, take: number) {
    const pattern = name ? `%${escapeLike(name)}%` : null;
    const scopeSql =
      'helpDesk' in scope
        ? Prisma.sql`NOT EXISTS (SELECT 1 FROM role_assignments s WHERE s.organization_id = r.organization_id AND s.role = 'SECURITY_OFFICIAL')
                     AND (${pattern}::text IS NULL OR EXISTS (SELECT 1 FROM organizations n WHERE n.id = r.organization_id AND n.name ILIKE ${pattern}::text))`
        : Prisma.sql`r.organization_id = ANY(${scope.officialAt}::uuid[])`;
    // The page is cut from role_requests alone (partial index on pending), then only its rows are joined.
    const rows = await this.prisma.$queryRaw<(AwaitingRow & { total: number })[]>`
      WITH page AS (
        SELECT r.id, r.role, r.justification, r.created_at, r.requester_id, r.organization_id, count(*) OVER ()::int AS total
        FROM role_requests r
        WHERE r.status = 'PENDING' AND r.requester_id <> ${userId}::uuid AND ${scopeSql}
        ORDER BY r.created_at, r.id
        LIMIT ${take} OFFSET ${skip})
      SELECT p.id::text AS "requestId", p.role::text AS role, p.justification, p.created_at AS "createdAt",
             u.id::text AS "requesterId", u.display_name AS "requesterName", u.email AS "requesterEmail",
             o.id::text AS "organizationId", o.kind::text AS "organizationKind", o.identifier AS "organizationIdentifier", o.name AS "organizationName",
             p.total
      FROM page p JOIN users u ON u.id = p.requester_id JOIN organizations o ON o.id = p.organization_id
      ORDER BY p.created_at, p.id`;
    return { rows: rows as AwaitingRow[], total: rows[0]?.total ?? (skip > 0 ? await this.countAwaiting(scopeSql, userId) : 0) };
  }

  private async countAwaiting(scopeSql: Prisma.Sql, userId: string): Promise<number> {
    const [{ n }] = await this.prisma.$queryRaw<{ n: number }[]>`
      SELECT count(*)::int AS n FROM role_requests r
      WHERE r.status = 'PENDING' AND r.requester_id <> ${userId}::uuid AND ${scopeSql}`;
    return n;
  }

  /** The user's own pending requests, with those denied but still undoable: they are not told until the denial is final (issue 17). */
  myPending(userId: string, name?: string) {
    return this.prisma.roleRequest.findMany({
      where: { requesterId: userId, OR: [{ status: 'PENDING' }, { status: 'DENIED', undoUntil: { gt: new Date() } }], organization: nameFilter(name) },
      include: { organization: true },
      orderBy: { createdAt: 'asc' },
    });
  }

  officialsOf(organizationIds: string[]) {
    return this.prisma.roleAssignment.findMany({
      where: { organizationId: { in: organizationIds }, role: 'SECURITY_OFFICIAL' },
      select: { organizationId: true, user: { select: { displayName: true } } },
      orderBy: { user: { displayName: 'asc' } },
    });
  }
}
