import type { Recipient } from './activities';

/** Outbound webhooks (issue 20): one workflow per delivery run; Temporal's retry policy does the retrying. */
export const WEBHOOK_DELIVERY_WORKFLOW = 'webhookDeliveryWorkflow';

/** Run 1 is the first delivery; each redelivery is the next run, under its own workflow id. */
export function webhookDeliveryWorkflowId(deliveryId: string, run: number): string {
  return `webhook-delivery-${deliveryId}-${run}`;
}

export interface WebhookRetryPolicy {
  initialIntervalMs: number;
  maximumIntervalMs: number;
  /** Attempts stop this long after the run began; the delivery is then FAILED. */
  retryForMs: number;
  /** Each attempt's whole time (the HTTP timeout), so an attempt's activity times out a little after. */
  attemptTimeoutMs: number;
}

export interface WebhookDeliveryInput {
  deliveryId: string;
  run: number;
  /** The dispatcher made the run's first attempt and it failed: the workflow's first attempt waits this long (the first retry's backoff). */
  firstAttemptAfterMs?: number;
  retry: WebhookRetryPolicy;
  taskQueues: { webhooks: string; notifications: string };
}

/** How one run ended, as far as the attempt that ended it saw. */
export type WebhookAttemptOutcome =
  | { outcome: 'DELIVERED'; status: number }
  /** A 410: the subscription is disabled. */
  | { outcome: 'DISABLED' }
  /** This failure paused the subscription (all failed for WEBHOOK_DISABLE_AFTER): tell its owner. */
  | { outcome: 'PAUSED'; owner: Recipient; notice: { webhookId: string; url: string; failingSince: string; lastError: string } }
  /** Nothing was sent: the subscription is paused, disabled or deleted, or a redelivery superseded this run. */
  | { outcome: 'STOPPED'; reason: string };

/** Activities on the webhooks task queue (the directory). */
export interface WebhookActivities {
  /** One attempt: sends the delivery's body, records the attempt; throws (retryable) on a failure that is to be retried. */
  attemptWebhookDelivery(input: { deliveryId: string; run: number; retry: WebhookRetryPolicy }): Promise<WebhookAttemptOutcome>;
  /** Records that this run gave up (retries exhausted). Idempotent; a later run is left alone. */
  giveUpWebhookDelivery(input: { deliveryId: string; run: number; error: string }): Promise<void>;
}

/** When the attempt after attempt `n` (1-based) is due, by the retry policy: initial × 2^(n−1), at most the maximum. */
export function webhookRetryDelayMs(policy: Pick<WebhookRetryPolicy, 'initialIntervalMs' | 'maximumIntervalMs'>, attempt: number): number {
  return Math.min(policy.maximumIntervalMs, policy.initialIntervalMs * 2 ** Math.max(0, attempt - 1));
}
