import { ActivityFailure, proxyActivities, sleep } from '@temporalio/workflow';
import type { WebhookActivities, WebhookAttemptOutcome, WebhookDeliveryInput } from '@am/workflow-contracts';
import { notificationActivities } from './activities';

/**
 * One run of one webhook delivery (issue 20), started when the dispatcher's own first attempt did
 * not settle it (or could not be made). Temporal retries the attempt activity: exponential
 * backoff from the policy's initial interval, doubling, at most its maximum apart, until retryForMs
 * after the run began. The attempt itself (on the webhooks task queue: the directory) sends the
 * same body under the same webhook-id each time and records each attempt, so the deliveries list
 * shows them as they happen. A 2xx ends the run; a 410 disables the subscription; a failure that
 * pauses the subscription ends the run, and its owner is told here, once.
 */
export async function webhookDeliveryWorkflow(input: WebhookDeliveryInput): Promise<WebhookAttemptOutcome> {
  const { retry } = input;
  const attempt = proxyActivities<Pick<WebhookActivities, 'attemptWebhookDelivery'>>({
    taskQueue: input.taskQueues.webhooks,
    // The HTTP attempt is bounded by the attempt timeout; the rest is two short database writes.
    startToCloseTimeout: retry.attemptTimeoutMs + 20_000,
    scheduleToCloseTimeout: retry.retryForMs,
    retry: { initialInterval: retry.initialIntervalMs, backoffCoefficient: 2, maximumInterval: retry.maximumIntervalMs },
  });
  const bookkeeping = proxyActivities<Pick<WebhookActivities, 'giveUpWebhookDelivery'>>({
    taskQueue: input.taskQueues.webhooks,
    startToCloseTimeout: '30 seconds',
    retry: { initialInterval: '1 second', maximumInterval: '30 seconds' },
  });

  // The dispatcher's own first attempt failed: this run's attempts are its retries, the first after the first backoff.
  if (input.firstAttemptAfterMs) await sleep(input.firstAttemptAfterMs);
  let outcome: WebhookAttemptOutcome;
  try {
    outcome = await attempt.attemptWebhookDelivery({ deliveryId: input.deliveryId, run: input.run, retry });
  } catch (err) {
    if (!(err instanceof ActivityFailure)) throw err;
    const error = err.cause?.message ?? err.message;
    await bookkeeping.giveUpWebhookDelivery({ deliveryId: input.deliveryId, run: input.run, error: `Gave up after retrying for ${Math.round(retry.retryForMs / 1000)} s: ${error}` });
    return { outcome: 'STOPPED', reason: 'retries exhausted' };
  }
  if (outcome.outcome === 'PAUSED') {
    await notificationActivities(input.taskQueues.notifications).sendNotification({
      idempotencyKey: `webhook-paused/${outcome.notice.webhookId}/${outcome.notice.failingSince}`,
      to: outcome.owner,
      template: 'webhook-paused',
      data: outcome.notice,
    });
  }
  return outcome;
}
