import { Injectable } from '@nestjs/common';
import type { OrganizationKind } from '@am/contracts';
import type { Prisma } from '../generated/prisma/client';
import { PrismaService, type Tx } from '../prisma/prisma.service';

const userCard = { select: { id: true, displayName: true, email: true } } as const;

/** The only code that reads and writes organizations, their assignments and registration. */
@Injectable()
export class OrganizationsRepository {
  constructor(private readonly prisma: PrismaService) {}

  inTransaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    return this.prisma.$transaction(fn);
  }

  findById(id: string, tx: Tx | PrismaService = this.prisma) {
    return tx.organization.findUnique({ where: { id } });
  }

  /**
   * Locks the organization's row until the transaction ends. Every change to who holds a role there
   * (removal, decision) takes it first, so two Security Officials removing each other run one after
   * the other and the second sees the first's result (rule 10). FOR NO KEY UPDATE leaves inserts
   * that merely reference the organization (new requests) unblocked.
   */
  async lock(id: string, tx: Tx): Promise<boolean> {
    const rows = await tx.$queryRaw<{ id: string }[]>`SELECT id::text FROM organizations WHERE id = ${id}::uuid FOR NO KEY UPDATE`;
    return rows.length === 1;
  }

  /** Name (any part, case-insensitive, trigram-indexed) or identifier (prefix). */
  search(filter: { q?: string; type?: OrganizationKind }, skip: number, take: number) {
    const where: Prisma.OrganizationWhereInput = {
      ...(filter.type ? { kind: filter.type } : {}),
      ...(filter.q ? { OR: [{ name: { contains: filter.q, mode: 'insensitive' } }, { identifier: { startsWith: filter.q } }] } : {}),
    };
    return this.prisma.$transaction([
      this.prisma.organization.findMany({ where, orderBy: [{ name: 'asc' }, { id: 'asc' }], skip, take }),
      this.prisma.organization.count({ where }),
    ]);
  }

  findAssignment(userId: string, organizationId: string, tx: Tx | PrismaService = this.prisma) {
    return tx.roleAssignment.findUnique({ where: { userId_organizationId: { userId, organizationId } }, include: { user: userCard } });
  }

  /** The user's roles at these organizations. */
  rolesAt(userId: string, organizationIds: string[]) {
    return this.prisma.roleAssignment.findMany({ where: { userId, organizationId: { in: organizationIds } }, select: { organizationId: true, role: true } });
  }

  /** Ids of the organizations where the user is a Security Official. */
  async officialAt(userId: string): Promise<string[]> {
    const rows = await this.prisma.roleAssignment.findMany({ where: { userId, role: 'SECURITY_OFFICIAL' }, select: { organizationId: true } });
    return rows.map((r) => r.organizationId);
  }

  countSecurityOfficials(organizationId: string, tx: Tx | PrismaService = this.prisma) {
    return tx.roleAssignment.count({ where: { organizationId, role: 'SECURITY_OFFICIAL' } });
  }

  deleteAssignment(id: string, tx: Tx) {
    return tx.roleAssignment.delete({ where: { id } });
  }

  findUser(id: string, tx: Tx | PrismaService = this.prisma) {
    return tx.user.findUnique({ where: { id }, select: { id: true, displayName: true, email: true, platformRole: true } });
  }

  connectedUsers(organizationId: string, skip: number, take: number) {
    const where = { organizationId };
    return this.prisma.$transaction([
      this.prisma.roleAssignment.findMany({
        where,
        include: { user: userCard },
        orderBy: [{ role: 'asc' }, { user: { displayName: 'asc' } }, { id: 'asc' }],
        skip,
        take,
      }),
      this.prisma.roleAssignment.count({ where }),
    ]);
  }

  pendingRequests(organizationId: string, take: number) {
    return this.prisma.roleRequest.findMany({
      where: { organizationId, status: 'PENDING' },
      include: { requester: userCard, organization: true },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      take,
    });
  }

  updateRegistration(id: string, data: { cmsWebInterface: boolean; cahpsSurvey: boolean }, tx: Tx) {
    return tx.organization.update({ where: { id }, data });
  }
}
