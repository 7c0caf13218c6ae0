import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { Client, WorkflowExecutionAlreadyStartedError, type Connection } from '@temporalio/client';
import { Client as PgClient } from 'pg';
import { connectTemporalClient } from '@am/service-kit';
import { taskQueue, WEBHOOK_DELIVERY_WORKFLOW, webhookDeliveryWorkflowId, type WebhookDeliveryInput, type WebhookRetryPolicy } from '@am/workflow-contracts';
import { DIRECTORY_CONFIG, type DirectoryConfig } from '../config/directory.config';
import type { Tx } from '../prisma/prisma.service';
import { WebhookDeliveryActivities } from './webhook-delivery.activities';
import { WebhookEvents } from './webhook-events';
import { REQUEST_BODY_MAX } from './webhook-sender';
import { AUDIT_APPENDED_CHANNEL, EVENT_OF_ACTION, WebhooksRepository, type AuditEventRow } from './webhooks.repository';

/** Audit events read per dispatch transaction; workflows started per pass. */
const BATCH = 200;
/** A first attempt holds its delivery for the attempt's timeout and this much more; then a workflow may take it over. */
const CLAIM_MARGIN_MS = 30_000;
/** After a pass that left work (or lost the lock to another instance), the next comes this soon. */
const SOON_MS = 50;

/**
 * Turns audit events into webhook deliveries and starts their workflows (issue 20): the
 * transactional outbox is the audit log itself. Every change the directory records appends its
 * audit event in the change's own transaction; the dispatcher reads the events after its cursor,
 * creates one delivery per matching subscription and moves the cursor, in one transaction, so an
 * event is turned into deliveries exactly once whatever crashes. Then each delivery is tried once
 * at once, and what that does not settle gets a workflow, started under an id that Temporal
 * refuses twice. Nothing here runs on the request path: a decision commits without waiting for any of it.
 *
 * It wakes on PostgreSQL's NOTIFY, which the audit log sends at commit (any instance's), and
 * every WEBHOOK_DISPATCH_EVERY in any case; instances take turns under an advisory lock.
 */
@Injectable()
export class WebhookDispatcher implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(WebhookDispatcher.name);
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private again = false;
  private stopped = false;
  private listener: PgClient | undefined;
  private temporal: Promise<{ connection: Connection; client: Client }> | undefined;
  /** The dispatcher's own first attempts in flight. */
  private firstAttempts = 0;

  constructor(
    @Inject(DIRECTORY_CONFIG) private readonly config: DirectoryConfig,
    private readonly repo: WebhooksRepository,
    private readonly events: WebhookEvents,
    private readonly attempts: WebhookDeliveryActivities,
  ) {}

  onApplicationBootstrap(): void {
    void this.listen();
    this.schedule(0);
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.listener?.end().catch(() => undefined);
    const temporal = await this.temporal?.catch(() => undefined);
    await temporal?.connection.close().catch(() => undefined);
  }

  /** Look now (a delivery was created or redelivered here, or an event was committed). */
  poke(): void {
    if (this.running) this.again = true;
    else this.schedule(0);
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.pass(), ms);
    this.timer.unref();
  }

  private async pass(): Promise<void> {
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = true;
    this.again = false;
    try {
      for (;;) {
        const done = await this.repo.dispatch(BATCH, (events, tx) => this.record(events, tx));
        if (!done) {
          this.again = true; // another instance holds the turn: look again soon
          break;
        }
        if (done.events < BATCH) break;
      }
      await this.deliver();
    } catch (err) {
      this.logger.warn(`webhook dispatch failed (retrying): ${err instanceof Error ? err.message : String(err)}`);
    } finally {
      this.running = false;
      this.schedule(this.again ? SOON_MS : this.config.WEBHOOK_DISPATCH_EVERY);
    }
  }

  /** One delivery per event and matching subscription, with the body it will carry on every attempt. */
  private async record(events: AuditEventRow[], tx: Tx): Promise<void> {
    if (events.length === 0) return;
    const subscriptions = await this.repo.receiving(tx);
    if (subscriptions.length === 0) return;
    for (const event of events) {
      const type = EVENT_OF_ACTION[event.action]!;
      // By type, organization (none: every organization's), and only what happened after it was registered.
      const subscribers = subscriptions.filter((s) => s.events.includes(type) && (s.organizationId === null || s.organizationId === event.organizationId) && s.afterEventId < event.id);
      if (subscribers.length === 0) continue;
      const payload = await this.events.payloadOf(event, tx);
      const body = JSON.stringify(payload);
      const tooLarge = Buffer.byteLength(body) > REQUEST_BODY_MAX;
      await this.repo.insertDeliveries(
        subscribers.map((s) => ({
          id: randomUUID(),
          subscriptionId: s.id,
          auditEventId: event.id,
          eventId: payload.id,
          eventType: type,
          body: tooLarge ? '' : body,
          ...(tooLarge ? { status: 'FAILED', lastError: `The event's body is over ${REQUEST_BODY_MAX} bytes: not sent` } : {}),
        })),
        tx,
      );
    }
  }

  /**
   * Sends what is due. A delivery never tried is tried at once, here (at most
   * WEBHOOK_DELIVERY_CONCURRENCY at a time, and WEBHOOK_ENDPOINT_CONCURRENCY per endpoint, never
   * awaited by the pass): most endpoints answer 2xx and the delivery ends with no workflow, which
   * keeps Temporal's load per event near nothing. What that attempt does not settle, and whatever
   * is left over (no slot, a lapsed claim after a crash), goes to a workflow: Temporal's retries.
   */
  private async deliver(): Promise<void> {
    const rows = await this.repo.unstarted(BATCH);
    const fresh = rows.filter((r) => r.claimedUntil === null).slice(0, Math.max(0, this.config.WEBHOOK_DELIVERY_CONCURRENCY - this.firstAttempts));
    const claimed = await this.repo.claim(fresh, new Date(Date.now() + this.config.WEBHOOK_TIMEOUT + CLAIM_MARGIN_MS));
    for (const row of claimed) this.attemptFirst(row.id, row.run);
    const toWorkflows = rows.filter((r) => !fresh.includes(r));
    await Promise.all(toWorkflows.map((r) => this.startWorkflow(r.id, r.run)));
    if (rows.length === BATCH) this.again = true;
  }

  private attemptFirst(id: string, run: number): void {
    this.firstAttempts += 1;
    this.attempts
      .firstAttempt(id, run, this.retryPolicy())
      .then((outcome) => (outcome === 'retry' ? this.startWorkflow(id, run, this.config.WEBHOOK_RETRY_INITIAL) : undefined))
      // The claim lapses and a workflow takes the delivery over: nothing is lost.
      .catch((err: unknown) => this.logger.warn(`webhook delivery ${id}: first attempt not settled (a workflow takes over): ${err instanceof Error ? err.message : String(err)}`))
      .finally(() => (this.firstAttempts -= 1));
  }

  private retryPolicy(): WebhookRetryPolicy {
    return {
      initialIntervalMs: this.config.WEBHOOK_RETRY_INITIAL,
      maximumIntervalMs: this.config.WEBHOOK_RETRY_MAX_INTERVAL,
      retryForMs: this.config.WEBHOOK_RETRY_FOR,
      attemptTimeoutMs: this.config.WEBHOOK_TIMEOUT,
    };
  }

  private async startWorkflow(id: string, run: number, firstAttemptAfterMs?: number): Promise<void> {
    const { client } = await this.temporalClient();
    const prefix = this.config.TASK_QUEUE_PREFIX;
    const input: WebhookDeliveryInput = {
      deliveryId: id,
      run,
      ...(firstAttemptAfterMs ? { firstAttemptAfterMs } : {}),
      retry: this.retryPolicy(),
      taskQueues: { webhooks: taskQueue('webhooks', prefix), notifications: taskQueue('notifications', prefix) },
    };
    try {
      await client.workflow.start(WEBHOOK_DELIVERY_WORKFLOW, {
        taskQueue: taskQueue('accessWorkflows', prefix),
        workflowId: webhookDeliveryWorkflowId(id, run),
        // Started once, ever: a start repeated after a crash (before markStarted) is refused, not run again.
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
        args: [input],
      });
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    }
    await this.repo.markStarted(id, run);
  }

  private temporalClient(): Promise<{ connection: Connection; client: Client }> {
    this.temporal ??= connectTemporalClient(this.config).then(
      (connection) => ({ connection, client: new Client({ connection, namespace: this.config.TEMPORAL_NAMESPACE }) }),
      (err: unknown) => {
        this.temporal = undefined; // the next pass tries again
        throw err;
      },
    );
    return this.temporal;
  }

  /** LISTEN for the audit log's commits; reconnects after a lost connection (the timer covers the gap). */
  private async listen(): Promise<void> {
    if (this.stopped) return;
    const client = new PgClient({ connectionString: this.config.DATABASE_URL });
    client.on('notification', () => this.poke());
    client.on('error', () => undefined);
    client.on('end', () => {
      if (this.listener === client) this.listener = undefined;
      if (!this.stopped) setTimeout(() => void this.listen(), 1000).unref();
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${AUDIT_APPENDED_CHANNEL}`);
      this.listener = client;
    } catch (err) {
      this.logger.warn(`webhook dispatcher cannot LISTEN (polling every ${this.config.WEBHOOK_DISPATCH_EVERY} ms): ${err instanceof Error ? err.message : String(err)}`);
      await client.end().catch(() => undefined);
    }
  }
}
