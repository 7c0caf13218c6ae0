import { waitFor } from '@am/devstack';
import type { Page, WebhookDeliveryStatus, WebhookDeliveryView, WebhookEventType, WebhookView, WebhookWithSecret } from '@am/contracts';
import type { Api } from './api';
import type { ReceivedWebhook, WebhookReceiver } from './webhook-receiver';

/** The webhook-id header of a delivery: `msg_` and the hex of its UUID (the same on every attempt and on a redelivery). */
export const webhookIdOf = (deliveryId: string): string => `msg_${deliveryId.replace(/-/g, '')}`;

/**
 * Registers `receiver` (at `path`) through POST /api/v1/webhooks and gives the receiver the signing
 * secret, shown this once, to verify with. Fails unless the answer is 201.
 */
export async function subscribe(
  api: Api,
  receiver: WebhookReceiver,
  o: { events: WebhookEventType[]; organizationId?: string; description?: string; path?: string },
): Promise<WebhookWithSecret> {
  const res = await api.post<WebhookWithSecret>('/api/v1/webhooks', {
    url: receiver.url(o.path),
    events: o.events,
    ...(o.organizationId ? { organizationId: o.organizationId } : {}),
    ...(o.description ? { description: o.description } : {}),
  });
  if (res.status !== 201) throw new Error(`POST /api/v1/webhooks answered ${res.status}: ${JSON.stringify(res.body)}`);
  receiver.secrets.push(res.body.secret);
  return res.body;
}

/** GET /api/v1/webhooks/{id}; fails unless 200. */
export async function webhookView(api: Api, id: string): Promise<WebhookView> {
  const res = await api.get<WebhookView>(`/api/v1/webhooks/${id}`);
  if (res.status !== 200) throw new Error(`GET /api/v1/webhooks/${id} answered ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body;
}

/** One subscription's deliveries (GET /api/v1/webhooks/{id}/deliveries, one page of 200), optionally of one status; fails unless 200. */
export async function deliveriesOf(api: Api, id: string, status?: WebhookDeliveryStatus): Promise<WebhookDeliveryView[]> {
  const path = `/api/v1/webhooks/${id}/deliveries?pageSize=200${status ? `&status=${status}` : ''}`;
  const res = await api.get<Page<WebhookDeliveryView>>(path);
  if (res.status !== 200) throw new Error(`GET ${path} answered ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body.items;
}

/** Polls the subscription until `until` holds (its status is written by the deliveries, after the receiver answered). */
export async function waitForWebhook(api: Api, id: string, until: (w: WebhookView) => boolean, what: string, timeoutMs = 30_000): Promise<WebhookView> {
  let last: WebhookView | undefined;
  try {
    return await waitFor(
      what,
      async () => {
        last = await webhookView(api, id);
        return until(last) ? last : undefined;
      },
      timeoutMs,
      200,
    );
  } catch (err) {
    throw new Error(`${(err as Error).message}; last seen: ${JSON.stringify(last)}`);
  }
}

/** Polls the subscription's deliveries until `pick` answers something (a delivery, the list, ...). */
export async function waitForDeliveries<T>(api: Api, id: string, pick: (ds: WebhookDeliveryView[]) => T | undefined | false, what: string, timeoutMs = 30_000): Promise<T> {
  let last: WebhookDeliveryView[] = [];
  try {
    return await waitFor(
      what,
      async () => {
        last = await deliveriesOf(api, id);
        return pick(last);
      },
      timeoutMs,
      200,
    );
  } catch (err) {
    throw new Error(`${(err as Error).message}; deliveries seen: ${JSON.stringify(last)}`);
  }
}

/** Whether a received request is the event `type` about the role request `requestId`. */
export const isEventOf =
  (type: WebhookEventType, requestId: string) =>
  (r: Pick<ReceivedWebhook, 'payload'>): boolean =>
    r.payload?.type === type && r.payload.data?.request?.id === requestId;
