import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import {
  DomainError,
  ERROR_CODES,
  proofTarget,
  WEBHOOK_PAYLOAD_VERSION,
  WEBHOOK_PING,
  type CallerProofAction,
  type CreateWebhookCommand,
  type ListWebhookDeliveriesQuery,
  type ListWebhooksQuery,
  type Page,
  type RedeliverWebhookCommand,
  type UpdateWebhookCommand,
  type WebhookCaller,
  type WebhookDeliveryView,
  type WebhookPayload,
  type WebhookRef,
  type WebhookView,
  type WebhookWithSecret,
} from '@am/contracts';
import { CallerProofVerifier, resealAll, SecretBox } from '@am/service-kit';
import { AuditRepository } from '../audit/audit.repository';
import { DIRECTORY_CONFIG, type DirectoryConfig } from '../config/directory.config';
import { pageBounds } from '../organizations/pagination';
import type { Tx } from '../prisma/prisma.service';
import { EndpointRefused, parseEndpointUrl, resolvePublic, type EndpointRules } from './endpoint-safety';
import { WebhookDispatcher } from './webhook-dispatcher';
import { newSigningSecret, webhookSecretContext } from './webhook-sender';
import { toDeliveryView, toWebhookView } from './webhook.mapper';
import { WebhooksRepository, type SubscriptionRow } from './webhooks.repository';

/**
 * Webhook subscriptions (issue 20): the help desk's, or an API key's with webhooks:manage (a key
 * sees and changes only what it registered). Every change needs the gateway's caller proof and is
 * audited. The signing secret is shown once, at creation and at rotation; it is kept sealed.
 */
@Injectable()
export class WebhooksService implements OnApplicationBootstrap {
  private readonly logger = new Logger(WebhooksService.name);
  private readonly box: SecretBox;
  readonly rules: EndpointRules;

  constructor(
    @Inject(DIRECTORY_CONFIG) private readonly config: DirectoryConfig,
    private readonly repo: WebhooksRepository,
    private readonly audit: AuditRepository,
    private readonly proofs: CallerProofVerifier,
    private readonly dispatcher: WebhookDispatcher,
  ) {
    this.box = new SecretBox(config.SECRETS_ENCRYPTION_KEYS);
    this.rules = { allowPrivate: config.WEBHOOK_ALLOW_PRIVATE, httpsOnly: config.NODE_ENV === 'production' };
  }

  /** After a key rotation (SECRETS_ENCRYPTION_KEYS, new key first), secrets sealed with an older key are sealed again with the new one. */
  async onApplicationBootstrap(): Promise<void> {
    const resealed = await this.reseal();
    if (resealed) this.logger.log(`Sealed ${resealed} webhook secret(s) with the current key`);
  }

  async reseal(batch = 500): Promise<number> {
    const again = (id: string, sealed: string) => this.box.seal(this.box.open(sealed, webhookSecretContext(id)), webhookSecretContext(id));
    return resealAll(
      () => this.repo.sealedNotUnder(this.box.currentKeyId, batch),
      (row) => this.repo.replaceSealed(row, { sealedSecret: again(row.id, row.sealedSecret), sealedPreviousSecret: row.sealedPreviousSecret && again(row.id, row.sealedPreviousSecret) }),
    );
  }

  async create(cmd: CreateWebhookCommand): Promise<WebhookWithSecret> {
    await this.prove(cmd, 'webhook.create', proofTarget.webhooks());
    await this.assertHelpDesk(cmd);
    const events = uniqueEvents(cmd.events);
    const url = await this.checkUrl(cmd.url);
    if (cmd.organizationId && !(await this.repo.organizationExists(cmd.organizationId))) {
      throw new DomainError(ERROR_CODES.VALIDATION_FAILED, 'organizationId names no organization', 'organizationId');
    }
    const id = randomUUID();
    const secret = newSigningSecret();
    const row = await this.repo.inTransaction(async (tx) => {
      const created = await this.repo.createSubscription(
        {
          id,
          url,
          events,
          description: cmd.description?.trim() || null,
          organizationId: cmd.organizationId ?? null,
          sealedSecret: this.box.seal(secret, webhookSecretContext(id)),
          afterEventId: await this.repo.headEventId(tx),
          createdById: cmd.viewerId,
          createdByApiKeyId: cmd.apiKeyId ?? null,
        },
        tx,
      );
      await this.audited(cmd, 'webhook.created', created, { url, events, organizationId: created.organizationId, apiKeyId: cmd.apiKeyId ?? null }, tx);
      return created;
    });
    return { ...toWebhookView(row), secret };
  }

  async list(query: ListWebhooksQuery): Promise<Page<WebhookView>> {
    await this.assertHelpDesk(query);
    const { page, pageSize, skip } = pageBounds(query);
    const [rows, total] = await this.repo.listSubscriptions({ apiKeyId: query.apiKeyId }, skip, pageSize);
    return { items: rows.map(toWebhookView), page, pageSize, total };
  }

  async get(ref: WebhookRef): Promise<WebhookView> {
    return toWebhookView(await this.visible(ref));
  }

  async update(cmd: UpdateWebhookCommand): Promise<WebhookView> {
    await this.prove(cmd, 'webhook.update', proofTarget.webhook(cmd.id));
    if (cmd.events === undefined && cmd.paused === undefined && cmd.description === undefined) {
      throw new DomainError(ERROR_CODES.VALIDATION_FAILED, 'Send at least one of events, paused and description', 'events');
    }
    const events = cmd.events && uniqueEvents(cmd.events);
    const view = await this.repo.inTransaction(async (tx) => {
      const row = await this.visible(cmd, tx);
      const viewer = (await this.repo.findUser(cmd.viewerId, tx))!;
      const now = new Date();
      const changes: Record<string, unknown> = {};
      if (events) changes.events = events;
      if (cmd.description !== undefined) changes.description = cmd.description.trim() || null;
      if (cmd.paused === true && row.status === 'ACTIVE') {
        Object.assign(changes, { status: 'PAUSED', statusReason: `Paused by ${viewer.displayName}`, statusChangedAt: now });
      }
      if (cmd.paused === false && row.status !== 'ACTIVE') {
        // Resuming starts afresh: the failure clock too (the endpoint is presumably fixed).
        Object.assign(changes, { status: 'ACTIVE', statusReason: null, statusChangedAt: now, failingSince: null });
      }
      if (Object.keys(changes).length === 0) return toWebhookView(row);
      const updated = await this.repo.updateSubscription(row.id, changes, tx);
      const before = Object.fromEntries(Object.keys(changes).map((k) => [k, (row as Record<string, unknown>)[k] ?? null]));
      await this.audited(cmd, 'webhook.updated', updated, { before: jsonable(before), after: jsonable(changes) }, tx);
      return toWebhookView(updated);
    });
    // Resumed: what was held while it was paused goes out now.
    if (view.status === 'ACTIVE') this.dispatcher.poke();
    return view;
  }

  async delete(ref: WebhookRef): Promise<WebhookView> {
    await this.prove(ref, 'webhook.delete', proofTarget.webhook(ref.id));
    return this.repo.inTransaction(async (tx) => {
      const row = await this.visible(ref, tx);
      const deleted = await this.repo.updateSubscription(row.id, { deletedAt: new Date() }, tx);
      await this.repo.failPending(row.id, 'The webhook was deleted', tx);
      await this.audited(ref, 'webhook.deleted', deleted, { url: row.url }, tx);
      return toWebhookView(deleted);
    });
  }

  async rotateSecret(ref: WebhookRef): Promise<WebhookWithSecret> {
    await this.prove(ref, 'webhook.rotate-secret', proofTarget.webhook(ref.id));
    const secret = newSigningSecret();
    const row = await this.repo.inTransaction(async (tx) => {
      const current = await this.visible(ref, tx);
      const now = new Date();
      const previousSecretExpiresAt = new Date(now.getTime() + this.config.WEBHOOK_SECRET_OVERLAP);
      const rotated = await this.repo.updateSubscription(
        current.id,
        { sealedSecret: this.box.seal(secret, webhookSecretContext(current.id)), sealedPreviousSecret: current.sealedSecret, previousSecretExpiresAt, secretRotatedAt: now },
        tx,
      );
      await this.audited(ref, 'webhook.secret-rotated', rotated, { previousSecretExpiresAt: previousSecretExpiresAt.toISOString() }, tx);
      return rotated;
    });
    return { ...toWebhookView(row), secret };
  }

  async deliveries(query: ListWebhookDeliveriesQuery): Promise<Page<WebhookDeliveryView>> {
    const row = await this.visible(query);
    const { page, pageSize, skip } = pageBounds(query);
    const [rows, total] = await this.repo.listDeliveries(row.id, query.status, skip, pageSize);
    return { items: rows.map(toDeliveryView), page, pageSize, total };
  }

  /** Sends a delivery again under the same webhook-id, as a new run; refused while it is still being attempted. */
  async redeliver(cmd: RedeliverWebhookCommand): Promise<WebhookDeliveryView> {
    await this.prove(cmd, 'webhook.redeliver', proofTarget.webhook(cmd.id));
    const delivery = await this.repo.inTransaction(async (tx) => {
      const row = await this.visible(cmd, tx);
      const existing = await this.repo.findDelivery(cmd.deliveryId, tx);
      if (!existing || existing.subscriptionId !== row.id) throw new DomainError(ERROR_CODES.NOT_FOUND, 'This webhook has no delivery with this id', 'deliveryId');
      const next = await this.repo.beginRedelivery(existing.id, tx);
      if (!next) {
        const at = existing.nextAttemptAt?.toISOString() ?? null;
        throw new DomainError(ERROR_CODES.DELIVERY_IN_PROGRESS, `This delivery is still being attempted${at ? `: its next attempt is at ${at}` : ''}`, 'deliveryId', { nextAttemptAt: at });
      }
      await this.audited(cmd, 'webhook.redelivered', row, { deliveryId: next.id, eventId: next.eventId, run: next.run }, tx);
      return next;
    });
    this.dispatcher.poke();
    return toDeliveryView(delivery);
  }

  /** A signed `webhook.ping`, through the same durable delivery as any event. */
  async test(ref: WebhookRef): Promise<WebhookDeliveryView> {
    await this.prove(ref, 'webhook.test', proofTarget.webhook(ref.id));
    const delivery = await this.repo.inTransaction(async (tx) => {
      const row = await this.visible(ref, tx);
      const id = randomUUID();
      const payload: WebhookPayload = {
        id: `evt_ping_${id.replace(/-/g, '')}`,
        type: WEBHOOK_PING,
        version: WEBHOOK_PAYLOAD_VERSION,
        timestamp: new Date().toISOString(),
        organizationId: null,
        data: { webhookId: row.id, message: 'A test ping from Access Manager: the endpoint is reachable and the signature verifies.' },
      };
      const created = await this.repo.createDelivery({ id, subscriptionId: row.id, auditEventId: null, eventId: payload.id, eventType: WEBHOOK_PING, body: JSON.stringify(payload) }, tx);
      await this.audited(ref, 'webhook.tested', row, { deliveryId: id }, tx);
      return created;
    });
    this.dispatcher.poke();
    return toDeliveryView(delivery);
  }

  // ---- Rules.

  private prove(cmd: { proof?: string; viewerId: string }, action: CallerProofAction, target: string) {
    return this.proofs.verify(cmd.proof, { action, target, actorId: cmd.viewerId });
  }

  /** Only the help desk (a person, or an API key acting as the help desk user who created it). */
  private async assertHelpDesk(caller: WebhookCaller, tx?: Tx): Promise<void> {
    const viewer = await this.repo.findUser(caller.viewerId, tx);
    if (viewer?.platformRole !== 'HELP_DESK') throw new DomainError(ERROR_CODES.FORBIDDEN, 'Only the help desk (or an API key with the webhooks:manage scope) manages webhooks');
  }

  /** The subscription, if the caller may see it: the help desk sees all; an API key only those it registered. */
  private async visible(ref: WebhookCaller & { id: string }, tx?: Tx): Promise<SubscriptionRow> {
    await this.assertHelpDesk(ref, tx);
    const row = await this.repo.findSubscription(ref.id, tx, Boolean(tx));
    if (!row || (ref.apiKeyId && row.createdByApiKeyId !== ref.apiKeyId)) throw new DomainError(ERROR_CODES.NOT_FOUND, 'No webhook has this id', 'id');
    return row;
  }

  /** The URL as it will be called: its form, and (unless WEBHOOK_ALLOW_PRIVATE) public addresses only, after DNS resolution. */
  private async checkUrl(raw: string): Promise<string> {
    try {
      const url = parseEndpointUrl(raw.trim(), this.rules);
      await resolvePublic(url.hostname, this.rules);
      return url.href;
    } catch (err) {
      if (err instanceof EndpointRefused) throw new DomainError(ERROR_CODES.VALIDATION_FAILED, `url ${err.message}`, 'url');
      throw err;
    }
  }

  private audited(caller: WebhookCaller, action: string, row: SubscriptionRow, details: Record<string, unknown>, tx: Tx) {
    return this.audit.append({ action, actorId: caller.viewerId, organizationId: row.organizationId, subjectId: row.id, details: jsonable({ ...details, ...(caller.apiKeyId ? { apiKeyId: caller.apiKeyId } : {}) }) }, tx);
  }
}

function uniqueEvents<T extends string>(events: T[]): T[] {
  if (new Set(events).size !== events.length) throw new DomainError(ERROR_CODES.VALIDATION_FAILED, 'events must not name an event twice', 'events');
  return events;
}

function jsonable(value: Record<string, unknown>) {
  return JSON.parse(JSON.stringify(value)) as Record<string, never>;
}
