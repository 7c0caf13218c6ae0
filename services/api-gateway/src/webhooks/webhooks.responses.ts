// Documentation only: the OpenAPI shapes of WebhookView, WebhookWithSecret and WebhookDeliveryView (@am/contracts).
import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import {
  WEBHOOK_DELIVERY_STATUSES,
  WEBHOOK_EVENT_TYPES,
  WEBHOOK_PING,
  WEBHOOK_STATUSES,
  type Page,
  type WebhookDeliveryStatus,
  type WebhookDeliveryView,
  type WebhookEventType,
  type WebhookStatus,
  type WebhookView,
  type WebhookWithSecret,
} from '@am/contracts';
import { EXAMPLE_IDS, EXAMPLE_TIME, PageFieldsResponse, PersonRefResponse } from '../common/shared.responses';

const WEBHOOK_ID = '8d5c2b1a-3e9f-4a6c-9b0d-4f1e9c0a2d38';
const DELIVERY_ID = '9e6d3c2b-4f0a-4b7d-9c1e-5a2f0d1b3e49';

/** The API key a subscription was registered with. */
@ApiSchema({ name: 'ApiKeyRef' })
export class ApiKeyRefResponse {
  @ApiProperty({ format: 'uuid', example: EXAMPLE_IDS.apiKey }) id!: string;
  @ApiProperty({ example: 'Registry integration (ACME QCDR)' }) name!: string;
}

@ApiSchema({ name: 'WebhookView' })
export class WebhookResponse implements WebhookView {
  @ApiProperty({ format: 'uuid', example: WEBHOOK_ID }) id!: string;
  @ApiProperty({ example: 'https://registry.example.com/hooks/access-manager' }) url!: string;
  @ApiProperty({ type: String, nullable: true, example: 'ACME QCDR: role decisions' }) description!: string | null;
  @ApiProperty({ enum: WEBHOOK_EVENT_TYPES, enumName: 'WebhookEventType', isArray: true, example: ['role-request.decided', 'access.removed'] }) events!: WebhookEventType[];
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'Only this organization’s events; null for every organization’s', example: null }) organizationId!: string | null;
  @ApiProperty({
    enum: WEBHOOK_STATUSES,
    enumName: 'WebhookStatus',
    description:
      'ACTIVE delivers. PAUSED (by a person, or after every delivery failed for WEBHOOK_DISABLE_AFTER) keeps its events, held, and sends them when resumed. DISABLED (the endpoint answered 410 Gone) gets no events until resumed. A ping (POST /test) goes out whatever the status',
    example: 'ACTIVE',
  })
  status!: WebhookStatus;
  @ApiProperty({ type: String, nullable: true, description: 'Why it is paused or disabled; null when ACTIVE', example: null }) statusReason!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, example: null }) statusChangedAt!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'Since when every delivery has failed; null once one succeeds', example: null }) failingSince!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'After a rotation, the previous secret still signs (a second signature) until then', example: null })
  previousSecretExpiresAt!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, example: null }) secretRotatedAt!: string | null;
  @ApiProperty({ type: () => PersonRefResponse, description: 'The help desk user who registered it (for an API key, the user who created the key)', example: { id: EXAMPLE_IDS.helpDesk, displayName: 'QPP Service Center' } })
  createdBy!: PersonRefResponse;
  @ApiProperty({ type: () => ApiKeyRefResponse, nullable: true, description: 'The API key it was registered with; null when a person registered it', example: null }) createdByApiKey!: ApiKeyRefResponse | null;
  @ApiProperty({ format: 'date-time', example: EXAMPLE_TIME }) createdAt!: string;
  @ApiProperty({ format: 'date-time', example: EXAMPLE_TIME }) updatedAt!: string;
}

@ApiSchema({ name: 'WebhookWithSecret' })
export class WebhookWithSecretResponse extends WebhookResponse implements WebhookWithSecret {
  // Optional in the document: a replay (same Idempotency-Key) has no `secret` but `secretWithheld`
  // (idempotency.interceptor.ts), and a client generated from the document reads both.
  @ApiPropertyOptional({
    description: 'The signing secret (whsec_ and base64), shown in this answer only: verify deliveries with any Standard Webhooks library. Absent from a replay (same Idempotency-Key), which has secretWithheld instead',
    example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  })
  secret!: string;

  @ApiPropertyOptional({ description: 'Only in a replay (same Idempotency-Key): why `secret` is missing. The secret is kept only in a protected form.' })
  secretWithheld?: string;
}

@ApiSchema({ name: 'WebhookPage' })
export class WebhookPageResponse extends PageFieldsResponse implements Page<WebhookView> {
  @ApiProperty({ type: () => [WebhookResponse], description: 'Newest first' }) items!: WebhookResponse[];
}

@ApiSchema({ name: 'WebhookDeliveryView' })
export class WebhookDeliveryResponse implements WebhookDeliveryView {
  @ApiProperty({ format: 'uuid', description: 'Sent as the webhook-id header (msg_ and the UUID’s hex): the same on every attempt and on a redelivery', example: DELIVERY_ID }) id!: string;
  @ApiProperty({ format: 'uuid', example: WEBHOOK_ID }) webhookId!: string;
  @ApiProperty({ description: 'The event (the payload’s id): the same for every subscription that receives it', example: 'evt_1042' }) eventId!: string;
  @ApiProperty({ enum: [...WEBHOOK_EVENT_TYPES, WEBHOOK_PING], example: 'role-request.decided' }) eventType!: WebhookEventType | typeof WEBHOOK_PING;
  @ApiProperty({
    enum: WEBHOOK_DELIVERY_STATUSES,
    enumName: 'WebhookDeliveryStatus',
    description: 'PENDING: being attempted or waiting for the next attempt; DELIVERED: answered 2xx; FAILED: given up',
    example: 'DELIVERED',
  })
  status!: WebhookDeliveryStatus;
  @ApiProperty({ minimum: 0, example: 1 }) attempts!: number;
  @ApiProperty({ type: Number, nullable: true, description: 'The status the endpoint answered last; null before an answer (or after a timeout or refused address)', example: 200 }) lastResponseCode!: number | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, example: EXAMPLE_TIME }) lastAttemptAt!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'Why the last attempt failed (a timeout, a refused address, the status), or why it was given up', example: null }) lastError!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'When the next attempt is due; null unless PENDING and waiting', example: null }) nextAttemptAt!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, example: EXAMPLE_TIME }) deliveredAt!: string | null;
  @ApiProperty({ format: 'date-time', example: EXAMPLE_TIME }) createdAt!: string;
}

@ApiSchema({ name: 'WebhookDeliveryPage' })
export class WebhookDeliveryPageResponse extends PageFieldsResponse implements Page<WebhookDeliveryView> {
  @ApiProperty({ type: () => [WebhookDeliveryResponse], description: 'Newest first' }) items!: WebhookDeliveryResponse[];
}
