import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { DIRECTORY_PATTERNS } from '@am/contracts';
import { directoryPayloads, parsePayload } from '@am/service-kit';
import { WebhooksService } from './webhooks.service';

/** Outbound webhook subscriptions (issue 20), for the gateway. */
@Controller()
export class WebhooksController {
  constructor(private readonly webhooks: WebhooksService) {}

  @MessagePattern(DIRECTORY_PATTERNS.createWebhook)
  create(@Payload() payload: unknown) {
    return this.webhooks.create(parsePayload(directoryPayloads.createWebhook, payload));
  }

  @MessagePattern(DIRECTORY_PATTERNS.listWebhooks)
  list(@Payload() payload: unknown) {
    return this.webhooks.list(parsePayload(directoryPayloads.listWebhooks, payload));
  }

  @MessagePattern(DIRECTORY_PATTERNS.getWebhook)
  get(@Payload() payload: unknown) {
    return this.webhooks.get(parsePayload(directoryPayloads.getWebhook, payload));
  }

  @MessagePattern(DIRECTORY_PATTERNS.updateWebhook)
  update(@Payload() payload: unknown) {
    return this.webhooks.update(parsePayload(directoryPayloads.updateWebhook, payload));
  }

  @MessagePattern(DIRECTORY_PATTERNS.deleteWebhook)
  delete(@Payload() payload: unknown) {
    return this.webhooks.delete(parsePayload(directoryPayloads.deleteWebhook, payload));
  }

  @MessagePattern(DIRECTORY_PATTERNS.rotateWebhookSecret)
  rotateSecret(@Payload() payload: unknown) {
    return this.webhooks.rotateSecret(parsePayload(directoryPayloads.rotateWebhookSecret, payload));
  }

  @MessagePattern(DIRECTORY_PATTERNS.listWebhookDeliveries)
  deliveries(@Payload() payload: unknown) {
    return this.webhooks.deliveries(parsePayload(directoryPayloads.listWebhookDeliveries, payload));
  }

  @MessagePattern(DIRECTORY_PATTERNS.redeliverWebhook)
  redeliver(@Payload() payload: unknown) {
    return this.webhooks.redeliver(parsePayload(directoryPayloads.redeliverWebhook, payload));
  }

  @MessagePattern(DIRECTORY_PATTERNS.testWebhook)
  test(@Payload() payload: unknown) {
    return this.webhooks.test(parsePayload(directoryPayloads.testWebhook, payload));
  }
}
