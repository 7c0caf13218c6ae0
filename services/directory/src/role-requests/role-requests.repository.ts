import { Injectable } from '@nestjs/common';
import type { OrgRole, RequestStatus } from '@am/contracts';
import { Prisma } from '../generated/prisma/client';
import { PrismaService, type Tx } from '../prisma/prisma.service';

const requestView = {
  organization: true,
  requester: { select: { id: true, displayName: true, email: true } },
  decidedBy: { select: { id: true, displayName: true, email: true } },
} satisfies Prisma.RoleRequestInclude;
export type RoleRequestRow = Prisma.RoleRequestGetPayload<{ include: typeof requestView }>;

/** The only code that reads and writes role requests, organizations' officials and assignments. */
@Injectable()
export class RoleRequestsRepository {
  constructor(private readonly prisma: PrismaService) {}

  inTransaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    return this.prisma.$transaction(fn, { isolationLevel: Prisma.TransactionIsolationLevel.ReadCommitted });
  }

  /**
   * Takes the row lock of the request's organization, as removals take it (organizations.repository.ts),
   * so decisions queue behind removals there; false when no request has this id.
   */
  async lockOrganizationOf(requestId: string, tx: Tx): Promise<boolean> {
    const rows = await tx.$queryRaw<{ id: string }[]>`
      SELECT o.id::text FROM organizations o JOIN role_requests r ON r.organization_id = o.id
      WHERE r.id = ${requestId}::uuid FOR NO KEY UPDATE OF o`;
    return rows.length === 1;
  }

  findOrganization(id: string, tx: Tx | PrismaService = this.prisma) {
    return tx.organization.findUnique({ where: { id } });
  }

  findAssignment(userId: string, organizationId: string, tx: Tx | PrismaService = this.prisma) {
    return tx.roleAssignment.findUnique({ where: { userId_organizationId: { userId, organizationId } } });
  }

  findUser(id: string, tx: Tx | PrismaService = this.prisma) {
    return tx.user.findUnique({ where: { id }, select: { id: true, displayName: true, email: true, platformRole: true } });
  }

  securityOfficials(organizationId: string, tx: Tx | PrismaService = this.prisma) {
    return tx.user.findMany({
      where: { roles: { some: { organizationId, role: 'SECURITY_OFFICIAL' } } },
      select: { id: true, displayName: true, email: true },
      orderBy: { displayName: 'asc' },
    });
  }

  findPending(requesterId: string, organizationId: string, tx: Tx | PrismaService = this.prisma) {
    return tx.roleRequest.findFirst({ where: { requesterId, organizationId, status: 'PENDING' } });
  }

  findById(id: string, tx: Tx | PrismaService = this.prisma): Promise<RoleRequestRow | null> {
    return tx.roleRequest.findUnique({ where: { id }, include: requestView });
  }

  create(data: { requesterId: string; organizationId: string; role: OrgRole; justification: string | null }, tx: Tx) {
    return tx.roleRequest.create({ data, include: requestView });
  }

  listPending(afterId: string | undefined, limit: number) {
    return this.prisma.roleRequest.findMany({
      where: { status: 'PENDING', ...(afterId ? { id: { gt: afterId } } : {}) },
      select: { id: true, requesterId: true, organizationId: true, role: true },
      orderBy: { id: 'asc' },
      take: limit,
    });
  }

  /** Decides a request only while it is still PENDING; returns false when someone got there first. */
  async decideIfPending(
    id: string,
    decision: { status: Extract<RequestStatus, 'APPROVED' | 'DENIED'>; decidedById: string; reason: string | null; decidedAt: Date },
    tx: Tx,
  ): Promise<boolean> {
    const { count } = await tx.roleRequest.updateMany({ where: { id, status: 'PENDING' }, data: decision });
    return count === 1;
  }

  /** Users with the help desk platform role: they decide where an organization has no Security Official. */
  helpDesk(tx: Tx | PrismaService = this.prisma) {
    return tx.user.findMany({ where: { platformRole: 'HELP_DESK' }, select: { id: true, displayName: true, email: true }, orderBy: { displayName: 'asc' } });
  }

  /** Closes a request (withdrawn, expired) only while it is still PENDING; false when it was not. */
  async closeIfPending(
    id: string,
    closure: { status: Extract<RequestStatus, 'WITHDRAWN' | 'EXPIRED'>; decidedById: string | null; decidedAt: Date },
    tx: Tx,
  ): Promise<boolean> {
    const { count } = await tx.roleRequest.updateMany({ where: { id, status: 'PENDING' }, data: closure });
    return count === 1;
  }

  /** Whether this reminder of this request was audited already (a retried activity writes it once). */
  async reminderAudited(requestId: string, reminder: number, tx: Tx): Promise<boolean> {
    const found = await tx.auditEvent.findFirst({
      where: { subjectId: requestId, action: 'role-request.reminded', details: { path: ['reminder'], equals: reminder } },
      select: { id: true },
    });
    return found !== null;
  }

  /** Grants the role, replacing the one held at the organization (Staff User -> Security Official). */
  grantRole(userId: string, organizationId: string, role: OrgRole, tx: Tx) {
    return tx.roleAssignment.upsert({
      where: { userId_organizationId: { userId, organizationId } },
      create: { userId, organizationId, role },
      update: { role, grantedAt: new Date() },
    });
  }
}

export function isUniqueViolation(err: unknown): boolean {
  return err instanceof Prisma.PrismaClientKnownRequestError && err.code === 'P2002';
}
