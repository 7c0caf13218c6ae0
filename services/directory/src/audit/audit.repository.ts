import { Injectable } from '@nestjs/common';
import type { Prisma } from '../generated/prisma/client';
import { PrismaService, type Tx } from '../prisma/prisma.service';
import { hashEvent } from './audit-chain';

export interface AuditEntry {
  action: string;
  actorId?: string | null;
  organizationId?: string | null;
  subjectId?: string | null;
  details?: Prisma.InputJsonObject;
}

/** Transaction-scoped advisory lock key that serializes appends, so the hash chain stays linear. */
const AUDIT_CHAIN_LOCK = 0x61756469; // "audi"

export interface AuditFilter {
  organizationIds?: string[];
  from?: Date;
  to?: Date;
}

/** Appends to the audit log and reads it; pass the transaction so the event commits with what it records. */
@Injectable()
export class AuditRepository {
  constructor(private readonly prisma: PrismaService) {}

  /**
   * Appends one event carrying the previous event's hash. Appends are serialized by an advisory lock
   * held until the transaction ends, so ids follow commit order and every event links to the one before.
   * Keep the append the last write of a transaction: the lock is held until it commits.
   */
  append(entry: AuditEntry, tx: Tx | PrismaService = this.prisma) {
    if (tx === this.prisma) return this.prisma.$transaction((t) => this.appendChained(entry, t));
    return this.appendChained(entry, tx as Tx);
  }

  private async appendChained(entry: AuditEntry, tx: Tx) {
    await tx.$queryRaw`SELECT pg_advisory_xact_lock(${AUDIT_CHAIN_LOCK}::bigint)::text AS locked`;
    // pg_notify is delivered at commit (never for a rollback): it wakes the webhook dispatcher of
    // every instance (issue 20), in the same statement, so appending costs no extra round trip.
    const [next] = await tx.$queryRaw<{ id: bigint; prev: string | null }[]>`
      SELECT nextval(pg_get_serial_sequence('audit_events', 'id')) AS id,
             (SELECT hash FROM audit_events ORDER BY id DESC LIMIT 1) AS prev,
             pg_notify('audit_appended', '')::text AS notified`;
    const event = {
      id: next.id.toString(),
      occurredAt: new Date(),
      action: entry.action,
      actorId: entry.actorId ?? null,
      organizationId: entry.organizationId ?? null,
      subjectId: entry.subjectId ?? null,
      details: JSON.parse(JSON.stringify(entry.details ?? {})) as Prisma.InputJsonObject,
      prevHash: next.prev,
    };
    return tx.auditEvent.create({ data: { ...event, id: next.id, hash: hashEvent(event) } });
  }

  list(filter: AuditFilter, skip: number, take: number) {
    const where = toWhere(filter);
    return this.prisma.$transaction([
      this.prisma.auditEvent.findMany({ where, orderBy: [{ occurredAt: 'desc' }, { id: 'desc' }], skip, take }),
      this.prisma.auditEvent.count({ where }),
    ]);
  }

  /**
   * The `take` events after `after` in the list's order (occurredAt, then id, both descending):
   * keyset paging, so reading every event costs one indexed range read per page (no offset to
   * skip, no count), and events appended meanwhile neither repeat nor shift rows between pages.
   */
  listAfter(filter: AuditFilter, after: { occurredAt: Date; id: bigint }, take: number) {
    const where: Prisma.AuditEventWhereInput = {
      AND: [toWhere(filter), { OR: [{ occurredAt: { lt: after.occurredAt } }, { occurredAt: after.occurredAt, id: { lt: after.id } }] }],
    };
    return this.prisma.auditEvent.findMany({ where, orderBy: [{ occurredAt: 'desc' }, { id: 'desc' }], take });
  }

  /** Events in id order after `afterId`, for verifying the chain. */
  walk(afterId: bigint, take: number) {
    return this.prisma.auditEvent.findMany({ where: { id: { gt: afterId } }, orderBy: { id: 'asc' }, take });
  }

  /** The newest event of this action about this subject, if any. */
  latest(action: string, subjectId: string) {
    return this.prisma.auditEvent.findFirst({ where: { action, subjectId }, orderBy: { id: 'desc' } });
  }

  /** The removal recorded under this idempotency id, if any (a retried activity records it once). */
  findRemoval(removalId: string, tx: Tx | PrismaService = this.prisma) {
    return tx.auditEvent.findFirst({ where: { action: 'access.removed', details: { path: ['removalId'], equals: removalId } } });
  }
}

function toWhere(filter: AuditFilter): Prisma.AuditEventWhereInput {
  return {
    ...(filter.organizationIds ? { organizationId: { in: filter.organizationIds } } : {}),
    ...(filter.from || filter.to ? { occurredAt: { ...(filter.from ? { gte: filter.from } : {}), ...(filter.to ? { lte: filter.to } : {}) } } : {}),
  };
}
