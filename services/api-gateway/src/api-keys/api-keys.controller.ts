import { Body, Controller, Delete, Get, Inject, Param, Post } from '@nestjs/common';
import type { ClientProxy } from '@nestjs/microservices';
import { ApiBearerAuth, ApiCookieAuth, ApiCreatedResponse, ApiForbiddenResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { DIRECTORY_CLIENT, DIRECTORY_PATTERNS, proofTarget, type ApiKeyView, type CreatedApiKey } from '@am/contracts';
import { call } from '@am/service-kit';
import { CallerProofs } from '../auth/caller-proofs.service';
import { Principal, type CallerPrincipal } from '../auth/principal';
import { IdempotentReplayWithholds } from '../common/idempotency.interceptor';
import { ApiKeyIdParams, CreateApiKeyDto } from './api-keys.dto';
import { ApiKeyResponse, CreatedApiKeyResponse } from './api-keys.responses';

/** API keys for other systems: the help desk creates, lists and revokes them. */
@ApiTags('api-keys')
@ApiBearerAuth()
@ApiCookieAuth()
@Controller('api-keys')
export class ApiKeysController {
  constructor(
    @Inject(DIRECTORY_CLIENT) private readonly directory: ClientProxy,
    private readonly proofs: CallerProofs,
  ) {}

  @Post()
  @ApiOperation({ summary: 'Create an API key (help desk). The whole key is in this answer only: store it now.' })
  @ApiCreatedResponse({ type: CreatedApiKeyResponse, description: 'The key, with `key` (am_<prefix>_<secret>) shown this once' })
  @ApiForbiddenResponse({ description: 'Not the help desk' })
  @IdempotentReplayWithholds('key', 'The key is shown once, in the first answer, and kept nowhere: a retry with the same Idempotency-Key gets the key’s details without it. If the first answer was lost, revoke this key and create another.')
  async create(@Principal() p: CallerPrincipal, @Body() dto: CreateApiKeyDto): Promise<CreatedApiKey> {
    const proof = await this.proofs.for(p, 'api-key.create', proofTarget.apiKeys());
    return call(this.directory, DIRECTORY_PATTERNS.createApiKey, { createdById: p.userId, name: dto.name, scopes: dto.scopes, rateLimitPerMinute: dto.rateLimitPerMinute ?? 60, proof });
  }

  @Get()
  @ApiOperation({ summary: 'List API keys, revoked ones included (help desk); secrets are never shown again' })
  @ApiOkResponse({ type: [ApiKeyResponse], description: 'Keys, newest first' })
  @ApiForbiddenResponse({ description: 'Not the help desk' })
  list(@Principal() p: CallerPrincipal): Promise<ApiKeyView[]> {
    return call(this.directory, DIRECTORY_PATTERNS.listApiKeys, { viewerId: p.userId });
  }

  @Delete(':id')
  @ApiOperation({ summary: 'Revoke an API key (help desk): it is refused from the next call on' })
  @ApiOkResponse({ type: ApiKeyResponse, description: 'The revoked key' })
  @ApiForbiddenResponse({ description: 'Not the help desk' })
  @ApiNotFoundResponse({ description: 'No API key has this id' })
  async revoke(@Principal() p: CallerPrincipal, @Param() params: ApiKeyIdParams): Promise<ApiKeyView> {
    const proof = await this.proofs.for(p, 'api-key.revoke', proofTarget.apiKey(params.id));
    return call(this.directory, DIRECTORY_PATTERNS.revokeApiKey, { id: params.id, viewerId: p.userId, proof });
  }
}
