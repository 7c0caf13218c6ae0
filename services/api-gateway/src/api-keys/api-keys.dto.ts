import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsInt, IsOptional, IsString, IsUUID, Length, Max, Min } from 'class-validator';
import { API_KEY_SCOPES, type ApiKeyScope } from '@am/contracts';

export class CreateApiKeyDto {
  @ApiProperty({ example: 'Registry integration (ACME QCDR)', description: 'Who uses the key, for the list and the audit log' })
  @IsString()
  @Length(1, 100, { message: 'name must be 1 to 100 characters' })
  name!: string;

  @ApiProperty({ enum: API_KEY_SCOPES, isArray: true, example: ['organizations:read', 'requests:read'] })
  @IsArray({ message: 'scopes must be a list' })
  @ArrayMinSize(1, { message: 'scopes must name at least one scope' })
  @ArrayMaxSize(API_KEY_SCOPES.length)
  @IsIn(API_KEY_SCOPES, { each: true, message: `each scope must be one of ${API_KEY_SCOPES.join(', ')}` })
  scopes!: ApiKeyScope[];

  @ApiPropertyOptional({ default: 60, minimum: 1, maximum: 10000, description: 'Calls allowed per minute; more get 429 with Retry-After' })
  @IsOptional()
  @IsInt({ message: 'rateLimitPerMinute must be a whole number' })
  @Min(1)
  @Max(10000)
  rateLimitPerMinute?: number;
}

export class ApiKeyIdParams {
  @ApiProperty({ format: 'uuid' })
  @IsUUID('all', { message: 'id must be a UUID' })
  id!: string;
}
