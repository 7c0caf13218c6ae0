// Documentation only: the OpenAPI shapes of ApiKeyView and CreatedApiKey (@am/contracts).
import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { API_KEY_SCOPES, type ApiKeyScope, type ApiKeyView, type CreatedApiKey } from '@am/contracts';
import { EXAMPLE_IDS, EXAMPLE_TIME, PersonRefResponse } from '../common/shared.responses';

@ApiSchema({ name: 'ApiKeyView' })
export class ApiKeyResponse implements ApiKeyView {
  @ApiProperty({ format: 'uuid', example: EXAMPLE_IDS.apiKey }) id!: string;
  @ApiProperty({ example: 'Registry integration (ACME QCDR)' }) name!: string;
  @ApiProperty({ description: 'The key’s public part: enough to recognise it, useless to call with', example: 'am_1a2b3c4d5e6f' }) prefix!: string;
  @ApiProperty({ enum: API_KEY_SCOPES, enumName: 'ApiKeyScope', isArray: true, example: ['organizations:read', 'requests:read'] }) scopes!: ApiKeyScope[];
  @ApiProperty({ minimum: 1, example: 60 }) rateLimitPerMinute!: number;
  @ApiProperty({ type: () => PersonRefResponse, example: { id: EXAMPLE_IDS.helpDesk, displayName: 'QPP Service Center' } }) createdBy!: PersonRefResponse;
  @ApiProperty({ format: 'date-time', example: EXAMPLE_TIME }) createdAt!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, example: null }) lastUsedAt!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'Set once revoked: the key is refused from then on', example: null }) revokedAt!: string | null;
}

@ApiSchema({ name: 'CreatedApiKey' })
export class CreatedApiKeyResponse extends ApiKeyResponse implements CreatedApiKey {
  // Optional in the document: a replay of the creation (same Idempotency-Key) has no `key` but
  // `keyWithheld` (idempotency.interceptor.ts), and a client generated from the document reads both.
  @ApiPropertyOptional({
    description: 'The whole key, shown in the first answer only: send it as X-Api-Key. Absent from a replay of the creation (same Idempotency-Key), which has keyWithheld instead',
    example: 'am_1a2b3c4d5e6f_Zm9vYmFyYmF6cXV4cXV1eGNvcmdlZ3JhdWx0Z2FycGx5d2Fs',
  })
  key!: string;

  @ApiPropertyOptional({ description: 'Only in a replay of the creation (same Idempotency-Key): why `key` is missing. The key is kept nowhere.' })
  keyWithheld?: string;
}
