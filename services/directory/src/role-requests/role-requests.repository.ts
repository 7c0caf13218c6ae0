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

/** What deciding needs of a request, read in the statement that locks its organization. */
export type LockedRequest = Pick<
  RoleRequestRow,
  'id' | 'requesterId' | 'organizationId' | 'role' | 'justification' | 'status' | 'decidedById' | 'decidedAt' | 'reason' | 'reasonCode' | 'undoUntil' | 'nextReminderAt' | 'createdAt' | 'requester' | 'decidedBy'
> & { organization: Pick<RoleRequestRow['organization'], 'id' | 'kind' | 'identifier' | 'name'> };

/** The only code that reads and writes role requests, organizations' officials and assignments. */
@Injectable()
export class RoleRequestsRepository {
  constructor(private readonly prisma: PrismaService) {}

  inTransaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    return this.prisma.$transaction(fn, { isolationLevel: Prisma.TransactionIsolationLevel.ReadCommitted });
  }

  /**
   * Reads the request with its organization, requester and decider, and takes the row lock of its
   * organization, as removals take it (organizations.repository.ts), in one statement: a decision
   * queues behind a removal there. Null when no request has this id.
   */
  async lockForDecision(requestId: string, tx: Tx): Promise<LockedRequest | null> {
    const rows = await tx.$queryRaw<LockedRequest[]>`
      SELECT r.id::text, r.requester_id::text AS "requesterId", r.organization_id::text AS "organizationId", r.role::text AS role,
             r.justification, r.status::text AS status, r.decided_by_id::text AS "decidedById", r.decided_at AS "decidedAt",
             r.reason, r.reason_code AS "reasonCode", r.undo_until AS "undoUntil", r.next_reminder_at AS "nextReminderAt", r.created_at AS "createdAt",
             json_build_object('id', o.id, 'kind', o.kind, 'identifier', o.identifier, 'name', o.name) AS organization,
             json_build_object('id', q.id, 'displayName', q.display_name, 'email', q.email) AS requester,
             CASE WHEN d.id IS NULL THEN NULL ELSE json_build_object('id', d.id, 'displayName', d.display_name, 'email', d.email) END AS "decidedBy"
      FROM role_requests r
      JOIN organizations o ON o.id = r.organization_id
      JOIN users q ON q.id = r.requester_id
      LEFT JOIN users d ON d.id = r.decided_by_id
      WHERE r.id = ${requestId}::uuid
      FOR NO KEY UPDATE OF o`;
    return rows[0] ?? null;
  }

  /** When the request's next reminder goes out (issue 19), as its workflow computed it. */
  async setNextReminder(id: string, at: Date | null, tx: Tx): Promise<void> {
    await tx.roleRequest.update({ where: { id }, data: { nextReminderAt: at } });
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

  /** The requester's denial at this organization whose undo window is still open, if any (issue 17). */
  findUndoableDenial(requesterId: string, organizationId: string, tx: Tx | PrismaService = this.prisma) {
    return tx.roleRequest.findFirst({ where: { requesterId, organizationId, status: 'DENIED', undoUntil: { gt: new Date() } }, select: { id: true, role: true } });
  }

  findById(id: string, tx: Tx | PrismaService = this.prisma): Promise<RoleRequestRow | null> {
    return tx.roleRequest.findUnique({ where: { id }, include: requestView });
  }

  create(data: { id: string; requesterId: string; organizationId: string; role: OrgRole; justification: string | null; nextReminderAt?: Date | null }, tx: Tx) {
    return tx.roleRequest.create({ data, include: requestView });
  }

  /** Decides a request only while it is still PENDING; returns false when someone got there first. */
  async decideIfPending(
    id: string,
    decision: {
      status: Extract<RequestStatus, 'APPROVED' | 'DENIED'>;
      decidedById: string;
      reason: string | null;
      reasonCode: string | null;
      decidedAt: Date;
      undoUntil: Date | null;
    },
    tx: Tx,
  ): Promise<boolean> {
    const { count } = await tx.roleRequest.updateMany({ where: { id, status: 'PENDING' }, data: decision });
    return count === 1;
  }

  /**
   * Undoes a denial while its window is open at `acceptedAt` (issue 17): the request is PENDING
   * again, as if never decided. False when it is not such a denial (any more).
   */
  async undoDenialIfOpen(id: string, acceptedAt: Date, tx: Tx): Promise<boolean> {
    const { count } = await tx.roleRequest.updateMany({
      where: { id, status: 'DENIED', undoUntil: { gt: acceptedAt } },
      data: { status: 'PENDING', decidedById: null, decidedAt: null, reason: null, reasonCode: null, undoUntil: null },
    });
    return count === 1;
  }

  /** The latest undo of a denial of this request, if any: a retried undo is answered from it. */
  lastUndo(requestId: string, tx: Tx) {
    return tx.auditEvent.findFirst({
      where: { subjectId: requestId, action: 'role-request.decision-undone' },
      orderBy: { id: 'desc' },
      select: { actorId: true, occurredAt: true, details: true },
    });
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

  /**
   * Withdraws a request while it is PENDING, or denied with its undo window still open at
   * `acceptedAt` (the requester was not told of that denial: issue 17); false otherwise.
   */
  async withdrawIfOpen(id: string, closure: { status: 'WITHDRAWN'; decidedById: string; decidedAt: Date }, acceptedAt: Date, tx: Tx): Promise<boolean> {
    const { count } = await tx.roleRequest.updateMany({
      where: { id, OR: [{ status: 'PENDING' }, { status: 'DENIED', undoUntil: { gt: acceptedAt } }] },
      data: { ...closure, reason: null, reasonCode: null, undoUntil: null },
    });
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
