import { Injectable } from '@nestjs/common';
import { WEBHOOK_EVENT_TYPES, WEBHOOK_PING } from '@am/contracts';
import type { Prisma } from '../generated/prisma/client';
import { PrismaService, type Tx } from '../prisma/prisma.service';

const withOwner = {
  createdBy: { select: { id: true, displayName: true, email: true } },
  createdByApiKey: { select: { id: true, name: true } },
} satisfies Prisma.WebhookSubscriptionInclude;

export type SubscriptionRow = Prisma.WebhookSubscriptionGetPayload<{ include: typeof withOwner }>;
export type DeliveryRow = Prisma.WebhookDeliveryGetPayload<object>;

/** The audit actions that are webhook events (issue 20), and the event each becomes. */
export const EVENT_OF_ACTION: Record<string, (typeof WEBHOOK_EVENT_TYPES)[number]> = {
  'role-request.submitted': 'role-request.submitted',
  'role-request.approved': 'role-request.decided',
  'role-request.denied': 'role-request.decided',
  'role-request.withdrawn': 'role-request.withdrawn',
  'role-request.expired': 'role-request.expired',
  'role-request.decision-undone': 'role-request.decision-undone',
  'access.removed': 'access.removed',
  'nomination.accepted': 'nomination.accepted',
  'access-review.completed': 'access-review.completed',
};
const EVENT_ACTIONS = Object.keys(EVENT_OF_ACTION);

/** Subscriptions that receive events: a PAUSED one keeps them (held) until it resumes; a DISABLED one (410) gets none. */
const RECEIVING = ['ACTIVE', 'PAUSED'];

/** The channel the audit log NOTIFYs at each commit that appended an event: it wakes the webhook dispatcher. */
export const AUDIT_APPENDED_CHANNEL = 'audit_appended';

/** Serializes dispatchers (several directory instances): one reads and advances the cursor at a time. */
const DISPATCH_LOCK = 0x77686b73; // "whks"

export interface AuditEventRow {
  id: bigint;
  occurredAt: Date;
  action: string;
  actorId: string | null;
  organizationId: string | null;
  subjectId: string | null;
  details: Prisma.JsonValue;
}

/** Webhook subscriptions, their deliveries and the dispatcher's place in the audit log. Prisma only here. */
@Injectable()
export class WebhooksRepository {
  constructor(private readonly prisma: PrismaService) {}

  inTransaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    return this.prisma.$transaction(fn);
  }

  /** The newest audit event's id: a new subscription gets the events after it. */
  async headEventId(tx: Tx | PrismaService = this.prisma): Promise<bigint> {
    const [row] = await tx.$queryRaw<{ id: bigint | null }[]>`SELECT max(id) AS id FROM audit_events`;
    return row?.id ?? 0n;
  }

  createSubscription(data: Prisma.WebhookSubscriptionUncheckedCreateInput, tx: Tx) {
    return tx.webhookSubscription.create({ data, include: withOwner });
  }

  /** A subscription not deleted; with `lock`, locked for the change about to be made. */
  async findSubscription(id: string, tx: Tx | PrismaService = this.prisma, lock = false): Promise<SubscriptionRow | null> {
    if (lock) await (tx as Tx).$queryRaw`SELECT id FROM webhook_subscriptions WHERE id = ${id}::uuid FOR UPDATE`;
    return tx.webhookSubscription.findFirst({ where: { id, deletedAt: null }, include: withOwner });
  }

  listSubscriptions(filter: { apiKeyId?: string }, skip: number, take: number) {
    const where: Prisma.WebhookSubscriptionWhereInput = { deletedAt: null, ...(filter.apiKeyId ? { createdByApiKeyId: filter.apiKeyId } : {}) };
    return this.prisma.$transaction([
      this.prisma.webhookSubscription.findMany({ where, include: withOwner, orderBy: [{ createdAt: 'desc' }, { id: 'asc' }], skip, take }),
      this.prisma.webhookSubscription.count({ where }),
    ]);
  }

  updateSubscription(id: string, data: Prisma.WebhookSubscriptionUncheckedUpdateInput, tx: Tx | PrismaService = this.prisma) {
    return tx.webhookSubscription.update({ where: { id }, data: { ...data, updatedAt: new Date() }, include: withOwner });
  }

  organizationExists(id: string) {
    return this.prisma.organization.findUnique({ where: { id }, select: { id: true, name: true } });
  }

  findUser(id: string, tx: Tx | PrismaService = this.prisma) {
    return tx.user.findUnique({ where: { id }, select: { id: true, displayName: true, email: true, platformRole: true } });
  }

  findApiKey(id: string) {
    return this.prisma.apiKey.findUnique({ where: { id }, select: { id: true, createdById: true, revokedAt: true } });
  }

  /** Subscriptions with a secret (current or previous) not sealed under this key: a key rotation's leftovers. */
  sealedNotUnder(keyId: string, limit: number) {
    const under = { startsWith: `v1.${keyId}.` };
    return this.prisma.webhookSubscription.findMany({
      where: { OR: [{ NOT: { sealedSecret: under } }, { AND: [{ sealedPreviousSecret: { not: null } }, { NOT: { sealedPreviousSecret: under } }] }] },
      select: { id: true, sealedSecret: true, sealedPreviousSecret: true },
      take: limit,
    });
  }

  /** Replaces the sealed secrets with the same secrets sealed anew; false when they changed meanwhile (a rotation). */
  async replaceSealed(was: { id: string; sealedSecret: string; sealedPreviousSecret: string | null }, next: { sealedSecret: string; sealedPreviousSecret: string | null }): Promise<boolean> {
    const { count } = await this.prisma.webhookSubscription.updateMany({ where: was, data: next });
    return count === 1;
  }

  // ---- Deliveries.

  createDelivery(data: Prisma.WebhookDeliveryUncheckedCreateInput, tx: Tx | PrismaService = this.prisma) {
    return tx.webhookDelivery.create({ data });
  }

  findDelivery(id: string, tx: Tx | PrismaService = this.prisma) {
    return tx.webhookDelivery.findUnique({ where: { id } });
  }

  listDeliveries(subscriptionId: string, status: string | undefined, skip: number, take: number) {
    const where: Prisma.WebhookDeliveryWhereInput = { subscriptionId, ...(status ? { status } : {}) };
    return this.prisma.$transaction([
      this.prisma.webhookDelivery.findMany({ where, orderBy: [{ createdAt: 'desc' }, { id: 'asc' }], skip, take }),
      this.prisma.webhookDelivery.count({ where }),
    ]);
  }

  /** The delivery and its subscription (deleted ones too: the attempt must learn it was deleted). */
  findForAttempt(id: string) {
    return this.prisma.webhookDelivery.findUnique({ where: { id }, include: { subscription: { include: withOwner } } });
  }

  /** Updates the delivery only while `run` is its current run (a redelivery supersedes an older run's writes). */
  async updateRun(id: string, run: number, data: Prisma.WebhookDeliveryUpdateManyMutationInput, tx: Tx | PrismaService = this.prisma): Promise<boolean> {
    const { count } = await tx.webhookDelivery.updateMany({ where: { id, run }, data });
    return count === 1;
  }

  /** Starts the next run of a delivery that is not PENDING; false when it is (another run is still at it). */
  async beginRedelivery(id: string, tx: Tx): Promise<DeliveryRow | null> {
    const rows = await tx.$queryRaw<{ id: string }[]>`
      UPDATE webhook_deliveries SET run = run + 1, status = 'PENDING', next_attempt_at = NULL, started_at = NULL, claimed_until = NULL, last_error = NULL
      WHERE id = ${id}::uuid AND status <> 'PENDING' RETURNING id`;
    return rows.length ? this.findDelivery(id, tx) : null;
  }

  /**
   * Deliveries whose current run has no workflow yet (new ones, redeliveries, those held while
   * their subscription was paused, and those a crash left before the start), oldest first: of
   * ACTIVE subscriptions (a paused one's wait for it to resume), and pings whatever the status.
   * One that the dispatcher's first attempt holds is left alone until its claim lapses.
   */
  unstarted(limit: number, now = new Date()) {
    return this.prisma.webhookDelivery.findMany({
      where: {
        startedAt: null,
        status: 'PENDING',
        OR: [{ claimedUntil: null }, { claimedUntil: { lt: now } }],
        AND: [{ OR: [{ subscription: { status: 'ACTIVE', deletedAt: null } }, { eventType: WEBHOOK_PING, subscription: { deletedAt: null } }] }],
      },
      orderBy: { createdAt: 'asc' },
      take: limit,
      select: { id: true, run: true, claimedUntil: true },
    });
  }

  /** Claims these deliveries' runs for the dispatcher's first attempts until `until`, in one statement; answers those claimed (not another instance's). */
  claim(rows: { id: string; run: number }[], until: Date): Promise<{ id: string; run: number }[]> {
    if (rows.length === 0) return Promise.resolve([]);
    const ids = rows.map((r) => r.id);
    const runs = rows.map((r) => r.run);
    return this.prisma.$queryRaw<{ id: string; run: number }[]>`
      UPDATE webhook_deliveries d SET claimed_until = ${until}
      FROM unnest(${ids}::uuid[], ${runs}::int[]) AS c(id, run)
      WHERE d.id = c.id AND d.run = c.run AND d.started_at IS NULL AND d.status = 'PENDING' AND d.claimed_until IS NULL
      RETURNING d.id::text AS id, d.run`;
  }

  /** Holds a delivery of a paused subscription: its next run starts when the subscription resumes. */
  hold(id: string, run: number, data: Prisma.WebhookDeliveryUpdateManyMutationInput, tx: Tx | PrismaService = this.prisma) {
    return this.updateRun(id, run, { ...data, run: run + 1, startedAt: null, claimedUntil: null, nextAttemptAt: null }, tx);
  }

  markStarted(id: string, run: number) {
    return this.prisma.webhookDelivery.updateMany({ where: { id, run, startedAt: null }, data: { startedAt: new Date() } });
  }

  /** A 2xx: the subscription is no longer failing. */
  endFailing(id: string, tx: Tx) {
    return tx.webhookSubscription.updateMany({ where: { id, failingSince: { not: null } }, data: { failingSince: null } });
  }

  /** A failure: since when the subscription has been failing (this one, if it was not). */
  async markFailing(id: string, at: Date, tx: Tx): Promise<Date> {
    const [row] = await tx.$queryRaw<{ since: Date }[]>`
      UPDATE webhook_subscriptions SET failing_since = COALESCE(failing_since, ${at}) WHERE id = ${id}::uuid RETURNING failing_since AS since`;
    return row?.since ?? at;
  }

  /** ACTIVE → PAUSED or DISABLED, once (two attempts racing change it once). */
  async changeStatusIfActive(id: string, status: 'PAUSED' | 'DISABLED', reason: string, at: Date, tx: Tx): Promise<boolean> {
    const { count } = await tx.webhookSubscription.updateMany({ where: { id, status: 'ACTIVE', deletedAt: null }, data: { status, statusReason: reason, statusChangedAt: at, updatedAt: at } });
    return count === 1;
  }

  /** Fails the PENDING deliveries of a subscription that will send nothing more (deleted). */
  failPending(subscriptionId: string, error: string, tx: Tx) {
    return tx.webhookDelivery.updateMany({ where: { subscriptionId, status: 'PENDING' }, data: { status: 'FAILED', lastError: error, nextAttemptAt: null } });
  }

  // ---- The dispatcher.

  /**
   * In one transaction (serialized across instances by an advisory lock): the events after the
   * cursor, at most `limit`; `record` turns them into deliveries; the cursor then moves past them.
   * Audit ids follow commit order (the audit log's own lock), so no event is passed over.
   */
  dispatch<T>(limit: number, record: (events: AuditEventRow[], tx: Tx) => Promise<T>): Promise<{ result: T; events: number } | null> {
    return this.prisma.$transaction(async (tx) => {
      const [locked] = await tx.$queryRaw<{ ok: boolean }[]>`SELECT pg_try_advisory_xact_lock(${DISPATCH_LOCK}::bigint) AS ok`;
      if (!locked?.ok) return null;
      let [cursor] = await tx.$queryRaw<{ last: bigint }[]>`SELECT last_event_id AS last FROM webhook_dispatch_cursor WHERE id = 1`;
      if (!cursor) {
        // The first dispatch starts at the log's head: subscriptions are only ever sent what happens after they exist.
        const head = await this.headEventId(tx);
        await tx.$executeRaw`INSERT INTO webhook_dispatch_cursor (id, last_event_id) VALUES (1, ${head}) ON CONFLICT (id) DO NOTHING`;
        cursor = { last: head };
      }
      const rows = await tx.$queryRaw<{ id: bigint }[]>`SELECT id FROM audit_events WHERE id > ${cursor.last} ORDER BY id LIMIT ${limit}`;
      if (rows.length === 0) return { result: await record([], tx), events: 0 };
      const last = rows[rows.length - 1]!.id;
      const events = await tx.auditEvent.findMany({
        where: { id: { gt: cursor.last, lte: last }, action: { in: EVENT_ACTIONS } },
        orderBy: { id: 'asc' },
        select: { id: true, occurredAt: true, action: true, actorId: true, organizationId: true, subjectId: true, details: true },
      });
      const result = await record(events, tx);
      await tx.$executeRaw`UPDATE webhook_dispatch_cursor SET last_event_id = ${last} WHERE id = 1`;
      return { result, events: rows.length };
    });
  }

  /** The subscriptions that receive events (a paused one keeps them, held, for when it resumes): read once per dispatch pass. */
  receiving(tx: Tx) {
    return tx.webhookSubscription.findMany({
      where: { status: { in: RECEIVING }, deletedAt: null },
      select: { id: true, events: true, organizationId: true, afterEventId: true },
    });
  }

  /** Deliveries for one event, once each (a retried dispatch creates none twice). */
  async insertDeliveries(rows: Prisma.WebhookDeliveryCreateManyInput[], tx: Tx): Promise<void> {
    if (rows.length) await tx.webhookDelivery.createMany({ data: rows, skipDuplicates: true });
  }

  // ---- What event payloads show.

  organizationName(id: string, tx: Tx) {
    return tx.organization.findUnique({ where: { id }, select: { id: true, name: true } });
  }

  people(ids: string[], tx: Tx) {
    return tx.user.findMany({ where: { id: { in: ids } }, select: { id: true, displayName: true } });
  }

  nomination(id: string, tx: Tx) {
    return tx.nomination.findUnique({ where: { id } });
  }

  accessReview(id: string, tx: Tx) {
    return tx.accessReview.findUnique({ where: { id } });
  }
}
