import { Inject, Injectable } from '@nestjs/common';
import { ApplicationFailure, Context } from '@temporalio/activity';
import { WEBHOOK_PING } from '@am/contracts';
import { SecretBox } from '@am/service-kit';
import { webhookRetryDelayMs, type WebhookActivities, type WebhookAttemptOutcome } from '@am/workflow-contracts';
import { AuditRepository } from '../audit/audit.repository';
import { DIRECTORY_CONFIG, type DirectoryConfig } from '../config/directory.config';
import { sendOnce, signedHeaders, webhookSecretContext, type SendOptions } from './webhook-sender';
import { WebhooksRepository } from './webhooks.repository';

/** Why a delivery of a paused subscription waits. */
const HELD = 'Held while the webhook is paused: sent when it resumes';

/**
 * One attempt of one webhook delivery (issue 20), on the webhooks task queue: the delivery's body,
 * byte for byte, under its webhook-id, signed with the subscription's secret (and the previous one
 * while a rotation's overlap lasts). Every attempt is recorded. A failure that is to be retried is
 * thrown, and Temporal retries it at the workflow's backoff; everything else is an outcome.
 */
@Injectable()
export class WebhookDeliveryActivities {
  private readonly box: SecretBox;
  private readonly send: SendOptions;
  /** Attempts in flight on this instance, by subscription (WEBHOOK_ENDPOINT_CONCURRENCY). */
  private readonly inFlight = new Map<string, number>();

  constructor(
    @Inject(DIRECTORY_CONFIG) private readonly config: DirectoryConfig,
    private readonly repo: WebhooksRepository,
    private readonly audit: AuditRepository,
  ) {
    this.box = new SecretBox(config.SECRETS_ENCRYPTION_KEYS);
    this.send = { timeoutMs: config.WEBHOOK_TIMEOUT, rules: { allowPrivate: config.WEBHOOK_ALLOW_PRIVATE, httpsOnly: config.NODE_ENV === 'production' } };
  }

  activities(): WebhookActivities {
    return {
      attemptWebhookDelivery: (input) => this.attempt(input.deliveryId, input.run, input.retry, Context.current().info.attempt, true),
      giveUpWebhookDelivery: async ({ deliveryId, run, error }) => {
        await this.repo.updateRun(deliveryId, run, { status: 'FAILED', lastError: error.slice(0, 1000), nextAttemptAt: null });
      },
    };
  }

  /**
   * The dispatcher's own first attempt, made at once: a 2xx, a 410 or nothing to send ends the run
   * here, with no workflow at all; anything else answers 'retry', and a workflow (Temporal's retry
   * policy) takes over. It never pauses the subscription: the workflow's attempts do.
   */
  async firstAttempt(deliveryId: string, run: number, retry: Parameters<typeof webhookRetryDelayMs>[0]): Promise<WebhookAttemptOutcome | 'retry'> {
    try {
      return await this.attempt(deliveryId, run, retry, 1, false);
    } catch (err) {
      if (err instanceof ApplicationFailure && !err.nonRetryable) return 'retry';
      throw err;
    }
  }

  /** One attempt, the `attempt`-th of this run; `mayPause`: whether a failure may pause the subscription (a workflow then tells its owner). */
  private async attempt(deliveryId: string, run: number, retry: Parameters<typeof webhookRetryDelayMs>[0], attempt: number, mayPause: boolean): Promise<WebhookAttemptOutcome> {
    const delivery = await this.repo.findForAttempt(deliveryId);
    if (!delivery) throw ApplicationFailure.nonRetryable(`No webhook delivery ${deliveryId}`, 'NotFound');
    if (delivery.run !== run) return { outcome: 'STOPPED', reason: 'A redelivery superseded this run' };
    if (delivery.status === 'DELIVERED') return { outcome: 'DELIVERED', status: delivery.lastResponseCode ?? 200 };
    if (delivery.status === 'FAILED') return { outcome: 'STOPPED', reason: delivery.lastError ?? 'failed' };
    const sub = delivery.subscription;
    // A ping goes to a paused or disabled endpoint too: it is how one checks the endpoint before resuming.
    const ping = delivery.eventType === WEBHOOK_PING;
    if (sub.status === 'PAUSED' && !ping && !sub.deletedAt) {
      await this.repo.hold(delivery.id, run, { lastError: HELD });
      return { outcome: 'STOPPED', reason: HELD };
    }
    const stopped = sub.deletedAt ? 'The webhook was deleted' : sub.status === 'DISABLED' && !ping ? `The webhook is disabled: ${sub.statusReason ?? ''}`.trim() : null;
    if (stopped) {
      await this.repo.updateRun(delivery.id, run, { status: 'FAILED', lastError: stopped, nextAttemptAt: null });
      return { outcome: 'STOPPED', reason: stopped };
    }

    const now = new Date();
    const secrets = [this.box.open(sub.sealedSecret, webhookSecretContext(sub.id))];
    if (sub.sealedPreviousSecret && sub.previousSecretExpiresAt && sub.previousSecretExpiresAt > now) {
      secrets.push(this.box.open(sub.sealedPreviousSecret, webhookSecretContext(sub.id)));
    }
    const busy = this.inFlight.get(sub.id) ?? 0;
    if (busy >= this.config.WEBHOOK_ENDPOINT_CONCURRENCY) {
      // Nothing was sent, so nothing is recorded: the delivery waits for its next retry, and the slot goes to another endpoint.
      throw ApplicationFailure.retryable(`${busy} attempts to this endpoint are in flight already`, 'WebhookEndpointBusy');
    }
    this.inFlight.set(sub.id, busy + 1);
    const result = await sendOnce(sub.url, signedHeaders(delivery.id, delivery.body, secrets, now), delivery.body, this.send).finally(() => {
      const left = (this.inFlight.get(sub.id) ?? 1) - 1;
      if (left > 0) this.inFlight.set(sub.id, left);
      else this.inFlight.delete(sub.id);
    });
    const at = new Date();
    const recorded = { attempts: { increment: 1 }, lastAttemptAt: at, lastResponseCode: result.status, lastError: result.error };

    if (result.error === null) {
      await this.repo.inTransaction(async (tx) => {
        await this.repo.updateRun(delivery.id, run, { ...recorded, status: 'DELIVERED', deliveredAt: at, nextAttemptAt: null }, tx);
        await this.repo.endFailing(sub.id, tx);
      });
      return { outcome: 'DELIVERED', status: result.status! };
    }

    if (result.status === 410) {
      await this.repo.inTransaction(async (tx) => {
        await this.repo.updateRun(delivery.id, run, { ...recorded, status: 'FAILED', nextAttemptAt: null }, tx);
        if (await this.repo.changeStatusIfActive(sub.id, 'DISABLED', 'The endpoint answered 410 Gone: it asked for no more deliveries', at, tx)) {
          await this.audit.append({ action: 'webhook.disabled', actorId: null, organizationId: sub.organizationId, subjectId: sub.id, details: { deliveryId: delivery.id, status: 410 } }, tx);
        }
      });
      return { outcome: 'DISABLED' };
    }

    const paused = await this.repo.inTransaction(async (tx) => {
      const failingSince = await this.repo.markFailing(sub.id, at, tx);
      const pauseNow = mayPause && delivery.eventType !== WEBHOOK_PING && at.getTime() - failingSince.getTime() >= this.config.WEBHOOK_DISABLE_AFTER;
      if (pauseNow) {
        const reason = `Every delivery failed since ${failingSince.toISOString()}: paused after ${Math.round(this.config.WEBHOOK_DISABLE_AFTER / 1000)} s of failures`;
        if (await this.repo.changeStatusIfActive(sub.id, 'PAUSED', reason, at, tx)) {
          await this.repo.hold(delivery.id, run, { ...recorded, lastError: `${result.error}. ${HELD}` }, tx);
          await this.audit.append({ action: 'webhook.paused', actorId: null, organizationId: sub.organizationId, subjectId: sub.id, details: { failingSince: failingSince.toISOString(), lastError: result.error } }, tx);
          return { failingSince };
        }
      }
      await this.repo.updateRun(delivery.id, run, { ...recorded, nextAttemptAt: new Date(at.getTime() + webhookRetryDelayMs(retry, attempt)) }, tx);
      return null;
    });
    if (paused) {
      return {
        outcome: 'PAUSED',
        owner: { userId: sub.createdBy.id, email: sub.createdBy.email, displayName: sub.createdBy.displayName },
        notice: { webhookId: sub.id, url: sub.url, failingSince: paused.failingSince.toISOString(), lastError: result.error },
      };
    }
    throw ApplicationFailure.retryable(result.error, 'WebhookAttemptFailed');
  }
}
