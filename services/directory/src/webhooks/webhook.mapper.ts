import type { WebhookDeliveryView, WebhookEventType, WebhookStatus, WebhookView } from '@am/contracts';
import type { DeliveryRow, SubscriptionRow } from './webhooks.repository';

const iso = (d: Date | null | undefined) => d?.toISOString() ?? null;

/** A subscription as the API shows it: never its secret, sealed or not. */
export function toWebhookView(row: SubscriptionRow): WebhookView {
  const overlapOpen = row.previousSecretExpiresAt && row.previousSecretExpiresAt > new Date();
  return {
    id: row.id,
    url: row.url,
    description: row.description,
    events: row.events as WebhookEventType[],
    organizationId: row.organizationId,
    status: row.status as WebhookStatus,
    statusReason: row.statusReason,
    statusChangedAt: iso(row.statusChangedAt),
    failingSince: iso(row.failingSince),
    previousSecretExpiresAt: overlapOpen ? iso(row.previousSecretExpiresAt) : null,
    secretRotatedAt: iso(row.secretRotatedAt),
    createdBy: { id: row.createdBy.id, displayName: row.createdBy.displayName },
    createdByApiKey: row.createdByApiKey ? { id: row.createdByApiKey.id, name: row.createdByApiKey.name } : null,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export function toDeliveryView(row: DeliveryRow): WebhookDeliveryView {
  return {
    id: row.id,
    webhookId: row.subscriptionId,
    eventId: row.eventId,
    eventType: row.eventType as WebhookDeliveryView['eventType'],
    status: row.status as WebhookDeliveryView['status'],
    attempts: row.attempts,
    lastResponseCode: row.lastResponseCode,
    lastAttemptAt: iso(row.lastAttemptAt),
    lastError: row.lastError,
    nextAttemptAt: row.status === 'PENDING' ? iso(row.nextAttemptAt) : null,
    deliveredAt: iso(row.deliveredAt),
    createdAt: row.createdAt.toISOString(),
  };
}
