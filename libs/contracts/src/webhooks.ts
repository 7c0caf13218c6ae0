import type { ProvenCommand } from './messages';

/**
 * Outbound webhooks (issue 20): other systems hear about changes. Deliveries follow the Standard
 * Webhooks specification (webhook-id, webhook-timestamp, webhook-signature), are durable and at
 * least once with the same id on every attempt, and are retried by Temporal for WEBHOOK_RETRY_FOR.
 */

/** The events a subscription may ask for. */
export const WEBHOOK_EVENT_TYPES = [
  'role-request.submitted',
  'role-request.decided',
  'role-request.withdrawn',
  'role-request.expired',
  'role-request.decision-undone',
  'access.removed',
  'nomination.accepted',
  'access-review.completed',
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** The signed ping that POST /webhooks/{id}/test sends; never subscribed to. */
export const WEBHOOK_PING = 'webhook.ping';

/** The version of every payload's shape; a consumer checks it before reading `data`. */
export const WEBHOOK_PAYLOAD_VERSION = 1;

/** The body of every delivery (JSON). `id` is the event's; the webhook-id header is the delivery's. */
export interface WebhookPayload<T = Record<string, unknown>> {
  /** `evt_<n>`: the event, the same for every subscription that receives it. */
  id: string;
  type: WebhookEventType | typeof WEBHOOK_PING;
  version: typeof WEBHOOK_PAYLOAD_VERSION;
  /** When it happened (ISO 8601). */
  timestamp: string;
  /** The organization the event concerns; null for the ping. */
  organizationId: string | null;
  data: T;
}

/**
 * ACTIVE delivers. PAUSED (by a person, or after every delivery failed for WEBHOOK_DISABLE_AFTER)
 * keeps its events, held, and sends them when it resumes. DISABLED (the endpoint answered 410 Gone)
 * gets no events until it is resumed.
 */
export const WEBHOOK_STATUSES = ['ACTIVE', 'PAUSED', 'DISABLED'] as const;
export type WebhookStatus = (typeof WEBHOOK_STATUSES)[number];

export interface WebhookView {
  id: string;
  url: string;
  description: string | null;
  events: WebhookEventType[];
  /** Only this organization's events; null for every organization's. */
  organizationId: string | null;
  status: WebhookStatus;
  /** Why it is paused or disabled, in words; null when ACTIVE. */
  statusReason: string | null;
  statusChangedAt: string | null;
  /** Since when every delivery has failed; null once one succeeds. */
  failingSince: string | null;
  /** After a rotation, the previous secret still signs (a second signature) until then. */
  previousSecretExpiresAt: string | null;
  secretRotatedAt: string | null;
  /** Who registered it: the help desk user (for an API key, the user who created the key). */
  createdBy: { id: string; displayName: string };
  /** The API key it was registered with, if any. */
  createdByApiKey: { id: string; name: string } | null;
  createdAt: string;
  updatedAt: string;
}

/** Answered at creation and at rotation only: the signing secret (`whsec_` + base64), shown this once. */
export interface WebhookWithSecret extends WebhookView {
  secret: string;
}

/** Who asks: the help desk user, and the API key when a system asks (it sees only what it registered). */
export interface WebhookCaller {
  viewerId: string;
  apiKeyId?: string;
}

export interface CreateWebhookCommand extends ProvenCommand, WebhookCaller {
  url: string;
  events: WebhookEventType[];
  organizationId?: string;
  description?: string;
}

export interface UpdateWebhookCommand extends ProvenCommand, WebhookCaller {
  id: string;
  events?: WebhookEventType[];
  /** true pauses; false resumes (also a subscription paused by failures or disabled by a 410). */
  paused?: boolean;
  /** An empty string clears it. */
  description?: string;
}

export interface WebhookRef extends WebhookCaller {
  id: string;
  /** For a change: the gateway's caller proof; reads carry none. */
  proof?: string;
}

export interface ListWebhooksQuery extends WebhookCaller {
  page?: number;
  pageSize?: number;
}

export const WEBHOOK_DELIVERY_STATUSES = ['PENDING', 'DELIVERED', 'FAILED'] as const;
export type WebhookDeliveryStatus = (typeof WEBHOOK_DELIVERY_STATUSES)[number];

export interface WebhookDeliveryView {
  /** A UUID, sent as the webhook-id header (`msg_` and the UUID's hex): the same on every attempt and on a redelivery. */
  id: string;
  webhookId: string;
  eventId: string;
  eventType: WebhookEventType | typeof WEBHOOK_PING;
  /** PENDING: being attempted or waiting for the next attempt; DELIVERED: a 2xx; FAILED: given up. */
  status: WebhookDeliveryStatus;
  attempts: number;
  lastResponseCode: number | null;
  lastAttemptAt: string | null;
  /** Why the last attempt failed (a timeout, a refused address, the status), or why it was given up. */
  lastError: string | null;
  /** When the next attempt is due; null unless PENDING and waiting. */
  nextAttemptAt: string | null;
  deliveredAt: string | null;
  createdAt: string;
}

export interface ListWebhookDeliveriesQuery extends WebhookCaller {
  id: string;
  status?: WebhookDeliveryStatus;
  page?: number;
  pageSize?: number;
}

export interface RedeliverWebhookCommand extends ProvenCommand, WebhookCaller {
  id: string;
  deliveryId: string;
}
