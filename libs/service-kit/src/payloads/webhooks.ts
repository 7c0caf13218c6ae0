import { z } from 'zod';
import {
  WEBHOOK_DELIVERY_STATUSES,
  WEBHOOK_EVENT_TYPES,
  type CreateWebhookCommand,
  type ListWebhookDeliveriesQuery,
  type ListWebhooksQuery,
  type RedeliverWebhookCommand,
  type UpdateWebhookCommand,
  type WebhookRef,
} from '@am/contracts';
import { callerProof, messageSchema, page, pageSize, uuid } from './fields';

/**
 * Outbound webhooks (issue 20): the gateway's DTOs, with the caller (the help desk user, and the
 * API key when a system asks) and, for changes, the caller proof. The URL's safety (https in
 * production, no private address) is the directory's to check, naming the rule.
 */
export const WEBHOOK_URL_MAX = 2048;
export const WEBHOOK_DESCRIPTION_MAX = 500;

const caller = { viewerId: uuid(), apiKeyId: uuid().optional() };
const events = () => z.array(z.enum(WEBHOOK_EVENT_TYPES)).min(1).max(WEBHOOK_EVENT_TYPES.length);

export const createWebhookCommand = messageSchema<CreateWebhookCommand>()({
  ...caller,
  url: z.string().min(1).max(WEBHOOK_URL_MAX),
  events: events(),
  organizationId: uuid().optional(),
  description: z.string().max(WEBHOOK_DESCRIPTION_MAX).optional(),
  proof: callerProof(),
});

export const updateWebhookCommand = messageSchema<UpdateWebhookCommand>()({
  ...caller,
  id: uuid(),
  events: events().optional(),
  paused: z.boolean().optional(),
  description: z.string().max(WEBHOOK_DESCRIPTION_MAX).optional(),
  proof: callerProof(),
});

/** A read carries no proof. */
export const webhookRead = messageSchema<Omit<WebhookRef, 'proof'>>()({ ...caller, id: uuid() });

/** Deletion, rotation and the ping carry the gateway's proof (the verifier refuses them without one). */
export const webhookCommand = messageSchema<WebhookRef>()({ ...caller, id: uuid(), proof: callerProof() });

export const listWebhooksQuery = messageSchema<ListWebhooksQuery>()({ ...caller, page: page().optional(), pageSize: pageSize().optional() });

export const listWebhookDeliveriesQuery = messageSchema<ListWebhookDeliveriesQuery>()({
  ...caller,
  id: uuid(),
  status: z.enum(WEBHOOK_DELIVERY_STATUSES).optional(),
  page: page().optional(),
  pageSize: pageSize().optional(),
});

export const redeliverWebhookCommand = messageSchema<RedeliverWebhookCommand>()({ ...caller, id: uuid(), deliveryId: uuid(), proof: callerProof() });
