import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Patch, Post, Query } from '@nestjs/common';
import type { ClientProxy } from '@nestjs/microservices';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCookieAuth,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import {
  DIRECTORY_CLIENT,
  DIRECTORY_PATTERNS,
  DomainError,
  ERROR_CODES,
  proofTarget,
  type CreateWebhookCommand,
  type ListWebhookDeliveriesQuery,
  type ListWebhooksQuery,
  type Page,
  type RedeliverWebhookCommand,
  type UpdateWebhookCommand,
  type WebhookCaller,
  type WebhookDeliveryView,
  type WebhookRef,
  type WebhookView,
  type WebhookWithSecret,
} from '@am/contracts';
import { call } from '@am/service-kit';
import { CallerProofs } from '../auth/caller-proofs.service';
import { ApiKeyScoped, Principal, type CallerPrincipal } from '../auth/principal';
import { PageQueryDto } from '../common/pagination.dto';
import { IdempotentReplayWithholds } from '../common/idempotency.interceptor';
import { assertSomethingToChange, CreateWebhookDto, ListWebhookDeliveriesQueryDto, UpdateWebhookDto, WebhookDeliveryParams, WebhookIdParams } from './webhooks.dto';
import { WebhookDeliveryPageResponse, WebhookDeliveryResponse, WebhookPageResponse, WebhookResponse, WebhookWithSecretResponse } from './webhooks.responses';

const FORBIDDEN = 'Not the help desk (an API key acts as the help desk user who created it, and needs webhooks:manage)';
const NOT_FOUND = 'No subscription has this id (an API key sees only the subscriptions it registered)';
const WITHHELD_SECRET =
  'The signing secret is shown once, in the first answer, and kept only in a protected form: a retry with the same Idempotency-Key gets the subscription without it. If the first answer was lost, rotate the secret (POST /api/v1/webhooks/{id}/rotate-secret).';

/**
 * Outbound webhooks (issue 20): the help desk, or another system with an API key holding
 * webhooks:manage, registers endpoints that hear about changes, and follows their deliveries.
 * The directory keeps the subscriptions and enforces who sees which (an API key: only its own).
 */
@ApiTags('webhooks')
@ApiBearerAuth()
@ApiCookieAuth()
@Controller('webhooks')
export class WebhooksController {
  constructor(
    @Inject(DIRECTORY_CLIENT) private readonly directory: ClientProxy,
    private readonly proofs: CallerProofs,
  ) {}

  @Post()
  @ApiKeyScoped('webhooks:manage')
  @ApiOperation({
    summary: 'Register an endpoint for events (help desk). The signing secret is in this answer only: store it now.',
    description:
      'Deliveries follow the Standard Webhooks specification (webhook-id, webhook-timestamp and webhook-signature headers), are retried with exponential backoff until WEBHOOK_RETRY_FOR, and end at a 2xx answer; a 410 disables the subscription. With organizationId, only that organization’s events are sent. Audited.',
  })
  @ApiCreatedResponse({ type: WebhookWithSecretResponse, description: 'The subscription, ACTIVE, with its `secret` shown this once' })
  @ApiBadRequestResponse({
    description: 'A field is malformed; or the URL is not allowed: not https, or a loopback, private or link-local address, also after DNS resolution (field url); or organizationId names no organization (VALIDATION_FAILED)',
  })
  @ApiForbiddenResponse({ description: FORBIDDEN })
  @IdempotentReplayWithholds('secret', WITHHELD_SECRET)
  async create(@Principal() p: CallerPrincipal, @Body() dto: CreateWebhookDto): Promise<WebhookWithSecret> {
    assertHelpDesk(p);
    const proof = await this.proofs.for(p, 'webhook.create', proofTarget.webhooks());
    const cmd: CreateWebhookCommand = {
      ...callerOf(p),
      url: dto.url,
      events: dto.events,
      ...(dto.organizationId !== undefined ? { organizationId: dto.organizationId } : {}),
      ...(dto.description !== undefined ? { description: dto.description } : {}),
      proof,
    };
    return call(this.directory, DIRECTORY_PATTERNS.createWebhook, cmd);
  }

  @Get()
  @ApiKeyScoped('webhooks:manage')
  @ApiOperation({ summary: 'The subscriptions, newest first (help desk; an API key: those it registered)' })
  @ApiOkResponse({ type: WebhookPageResponse })
  @ApiForbiddenResponse({ description: FORBIDDEN })
  async list(@Principal() p: CallerPrincipal, @Query() q: PageQueryDto): Promise<Page<WebhookView>> {
    assertHelpDesk(p);
    const query: ListWebhooksQuery = { ...callerOf(p), page: q.page, pageSize: q.pageSize };
    return call(this.directory, DIRECTORY_PATTERNS.listWebhooks, query);
  }

  @Get(':id')
  @ApiKeyScoped('webhooks:manage')
  @ApiOperation({ summary: 'A subscription (help desk; an API key: one it registered); its secret is never shown again' })
  @ApiOkResponse({ type: WebhookResponse })
  @ApiForbiddenResponse({ description: FORBIDDEN })
  @ApiNotFoundResponse({ description: NOT_FOUND })
  async get(@Principal() p: CallerPrincipal, @Param() params: WebhookIdParams): Promise<WebhookView> {
    assertHelpDesk(p);
    const ref: WebhookRef = { ...callerOf(p), id: params.id };
    return call(this.directory, DIRECTORY_PATTERNS.getWebhook, ref);
  }

  @Patch(':id')
  @ApiKeyScoped('webhooks:manage')
  @ApiOperation({
    summary: 'Change a subscription’s events, pause or resume it, or change its description (help desk). Audited.',
    description: 'At least one of events, paused and description. paused: false also resumes a subscription paused after failing, or disabled by a 410.',
  })
  @ApiOkResponse({ type: WebhookResponse, description: 'The subscription as changed; events that come while it is paused are held and sent when it resumes' })
  @ApiBadRequestResponse({ description: 'A field is malformed, or the body changes nothing (VALIDATION_FAILED, field body)' })
  @ApiForbiddenResponse({ description: FORBIDDEN })
  @ApiNotFoundResponse({ description: NOT_FOUND })
  async update(@Principal() p: CallerPrincipal, @Param() params: WebhookIdParams, @Body() dto: UpdateWebhookDto): Promise<WebhookView> {
    assertHelpDesk(p);
    assertSomethingToChange(dto);
    const proof = await this.proofs.for(p, 'webhook.update', proofTarget.webhook(params.id));
    const cmd: UpdateWebhookCommand = {
      ...callerOf(p),
      id: params.id,
      ...(dto.events !== undefined ? { events: dto.events } : {}),
      ...(dto.paused !== undefined ? { paused: dto.paused } : {}),
      // The directory reads an empty description as none: null says the same in the public API.
      ...(dto.description !== undefined ? { description: dto.description ?? '' } : {}),
      proof,
    };
    return call(this.directory, DIRECTORY_PATTERNS.updateWebhook, cmd);
  }

  @Delete(':id')
  @ApiKeyScoped('webhooks:manage')
  @ApiOperation({ summary: 'Delete a subscription (help desk): nothing more is delivered to it. Audited.' })
  @ApiOkResponse({ type: WebhookResponse, description: 'The subscription as it was when deleted' })
  @ApiForbiddenResponse({ description: FORBIDDEN })
  @ApiNotFoundResponse({ description: NOT_FOUND })
  async remove(@Principal() p: CallerPrincipal, @Param() params: WebhookIdParams): Promise<WebhookView> {
    assertHelpDesk(p);
    const proof = await this.proofs.for(p, 'webhook.delete', proofTarget.webhook(params.id));
    const ref: WebhookRef = { ...callerOf(p), id: params.id, proof };
    return call(this.directory, DIRECTORY_PATTERNS.deleteWebhook, ref);
  }

  @Post(':id/rotate-secret')
  @HttpCode(200)
  @ApiKeyScoped('webhooks:manage')
  @ApiOperation({
    summary: 'Rotate a subscription’s signing secret (help desk). The new secret is in this answer only; the old one still signs until previousSecretExpiresAt (24 hours). Audited.',
    description: 'Until previousSecretExpiresAt, every delivery carries two signatures in webhook-signature: one with the new secret and one with the old, so the consumer can switch at its own pace.',
  })
  @ApiOkResponse({ type: WebhookWithSecretResponse, description: 'The subscription, with its new `secret` shown this once and previousSecretExpiresAt' })
  @ApiForbiddenResponse({ description: FORBIDDEN })
  @ApiNotFoundResponse({ description: NOT_FOUND })
  @IdempotentReplayWithholds('secret', WITHHELD_SECRET)
  async rotateSecret(@Principal() p: CallerPrincipal, @Param() params: WebhookIdParams): Promise<WebhookWithSecret> {
    assertHelpDesk(p);
    const proof = await this.proofs.for(p, 'webhook.rotate-secret', proofTarget.webhook(params.id));
    const ref: WebhookRef = { ...callerOf(p), id: params.id, proof };
    return call(this.directory, DIRECTORY_PATTERNS.rotateWebhookSecret, ref);
  }

  @Get(':id/deliveries')
  @ApiKeyScoped('webhooks:manage')
  @ApiOperation({ summary: 'A subscription’s deliveries, newest first: event, status, attempts, last answer and when, and the next attempt (help desk)' })
  @ApiOkResponse({ type: WebhookDeliveryPageResponse })
  @ApiForbiddenResponse({ description: FORBIDDEN })
  @ApiNotFoundResponse({ description: NOT_FOUND })
  async deliveries(@Principal() p: CallerPrincipal, @Param() params: WebhookIdParams, @Query() q: ListWebhookDeliveriesQueryDto): Promise<Page<WebhookDeliveryView>> {
    assertHelpDesk(p);
    const query: ListWebhookDeliveriesQuery = { ...callerOf(p), id: params.id, ...(q.status !== undefined ? { status: q.status } : {}), page: q.page, pageSize: q.pageSize };
    return call(this.directory, DIRECTORY_PATTERNS.listWebhookDeliveries, query);
  }

  @Post(':id/deliveries/:deliveryId/redeliver')
  @HttpCode(202)
  @ApiKeyScoped('webhooks:manage')
  @ApiOperation({
    summary: 'Send a delivery again, with the same webhook-id, signed anew (help desk). Answered once it is queued. Audited.',
    description: 'For a DELIVERED or FAILED delivery; one still PENDING is being attempted already (409).',
  })
  @ApiAcceptedResponse({ type: WebhookDeliveryResponse, description: 'The delivery, PENDING again' })
  @ApiForbiddenResponse({ description: FORBIDDEN })
  @ApiNotFoundResponse({ description: 'No subscription has this id (an API key sees only its own), or it has no delivery with this id' })
  @ApiConflictResponse({ description: 'The delivery is still being attempted (DELIVERY_IN_PROGRESS, details.nextAttemptAt)' })
  async redeliver(@Principal() p: CallerPrincipal, @Param() params: WebhookDeliveryParams): Promise<WebhookDeliveryView> {
    assertHelpDesk(p);
    const proof = await this.proofs.for(p, 'webhook.redeliver', proofTarget.webhook(params.id));
    const cmd: RedeliverWebhookCommand = { ...callerOf(p), id: params.id, deliveryId: params.deliveryId, proof };
    return call(this.directory, DIRECTORY_PATTERNS.redeliverWebhook, cmd);
  }

  @Post(':id/test')
  @HttpCode(202)
  @ApiKeyScoped('webhooks:manage')
  @ApiOperation({
    summary: 'Send a signed webhook.ping to the endpoint (help desk), delivered and retried like any event; follow it in the deliveries. Answered once it is queued.',
    description: 'Sent whatever the subscription’s events and status (a paused subscription is pinged too).',
  })
  @ApiAcceptedResponse({ type: WebhookDeliveryResponse, description: 'The ping’s delivery, PENDING' })
  @ApiForbiddenResponse({ description: FORBIDDEN })
  @ApiNotFoundResponse({ description: NOT_FOUND })
  async test(@Principal() p: CallerPrincipal, @Param() params: WebhookIdParams): Promise<WebhookDeliveryView> {
    assertHelpDesk(p);
    const proof = await this.proofs.for(p, 'webhook.test', proofTarget.webhook(params.id));
    const ref: WebhookRef = { ...callerOf(p), id: params.id, proof };
    return call(this.directory, DIRECTORY_PATTERNS.testWebhook, ref);
  }
}

/**
 * The help desk only, refused here before any call: a person whose platform role is HELP_DESK, or
 * an API key (which the session guard admitted with webhooks:manage) acting as such a person.
 */
function assertHelpDesk(p: CallerPrincipal): void {
  if (p.platformRole !== 'HELP_DESK') throw new DomainError(ERROR_CODES.FORBIDDEN, 'Only the help desk manages webhooks');
}

/** Who asks, as the directory reads it: the user, and the API key when a system asks (it sees only what it registered). */
function callerOf(p: CallerPrincipal): WebhookCaller {
  return p.apiKey ? { viewerId: p.userId, apiKeyId: p.apiKey.id } : { viewerId: p.userId };
}
