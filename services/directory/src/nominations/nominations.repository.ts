import { Injectable } from '@nestjs/common';
import type { NominationStatus } from '@am/contracts';
import { Prisma } from '../generated/prisma/client';
import { PrismaService, type Tx } from '../prisma/prisma.service';

const person = { select: { id: true, displayName: true, email: true } } as const;
const nominationView = {
  organization: { select: { id: true, kind: true, identifier: true, name: true } },
  nominee: person,
  nominatedBy: person,
} satisfies Prisma.NominationInclude;
export type NominationRow = Prisma.NominationGetPayload<{ include: typeof nominationView }>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The only code that reads and writes nominations (issue 18), and the assignments they grant. */
@Injectable()
export class NominationsRepository {
  constructor(private readonly prisma: PrismaService) {}

  inTransaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    return this.prisma.$transaction(fn, { isolationLevel: Prisma.TransactionIsolationLevel.ReadCommitted });
  }

  findById(id: string, tx: Tx | PrismaService = this.prisma): Promise<NominationRow | null> {
    return tx.nomination.findUnique({ where: { id }, include: nominationView });
  }

  /**
   * Takes the row lock of the nomination's organization, as removals and decisions take it, and
   * reads the nomination under it: an acceptance queues behind a removal of its nominator there.
   * Null when no nomination has this id.
   */
  async lockForResponse(id: string, tx: Tx): Promise<NominationRow | null> {
    const rows = await tx.$queryRaw<{ id: string }[]>`
      SELECT o.id::text FROM nominations n JOIN organizations o ON o.id = n.organization_id WHERE n.id = ${id}::uuid FOR NO KEY UPDATE OF o`;
    if (!rows.length) return null;
    return this.findById(id, tx);
  }

  findOrganization(id: string) {
    return this.prisma.organization.findUnique({ where: { id } });
  }

  /** An account named by its id or its login id. */
  findAccount(ref: string) {
    return this.prisma.user.findUnique({
      where: UUID.test(ref) ? { id: ref } : { loginId: ref },
      select: { id: true, displayName: true, email: true, disabledAt: true, platformRole: true },
    });
  }

  findUser(id: string) {
    return this.prisma.user.findUnique({ where: { id }, select: { id: true, displayName: true, email: true, platformRole: true } });
  }

  roleAt(userId: string, organizationId: string, tx: Tx | PrismaService = this.prisma) {
    return tx.roleAssignment.findUnique({ where: { userId_organizationId: { userId, organizationId } }, select: { role: true } });
  }

  findPending(nomineeId: string, organizationId: string) {
    return this.prisma.nomination.findFirst({ where: { nomineeId, organizationId, status: 'PENDING' }, select: { id: true } });
  }

  /** The user's pending nominations, oldest first. */
  pendingFor(nomineeId: string) {
    return this.prisma.nomination.findMany({ where: { nomineeId, status: 'PENDING' }, include: nominationView, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });
  }

  create(data: { id: string; organizationId: string; nomineeId: string; nominatedById: string; message: string | null; createdAt: Date; expiresAt: Date }, tx: Tx) {
    return tx.nomination.create({ data, include: nominationView });
  }

  /** Closes a nomination only while it is still PENDING; false when something closed it first. */
  async closeIfPending(id: string, status: Exclude<NominationStatus, 'PENDING'>, respondedAt: Date, tx: Tx): Promise<boolean> {
    const { count } = await tx.nomination.updateMany({ where: { id, status: 'PENDING' }, data: { status, respondedAt } });
    return count === 1;
  }

  /** Grants the Security Official role, replacing the one held at the organization (Staff User -> Security Official). */
  grantSecurityOfficial(userId: string, organizationId: string, tx: Tx) {
    return tx.roleAssignment.upsert({
      where: { userId_organizationId: { userId, organizationId } },
      create: { userId, organizationId, role: 'SECURITY_OFFICIAL' },
      update: { role: 'SECURITY_OFFICIAL', grantedAt: new Date() },
    });
  }
}
