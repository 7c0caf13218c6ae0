import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsBoolean, IsIn, IsOptional, IsString, IsUUID, MaxLength, ValidateBy, ValidateIf, type ValidationOptions } from 'class-validator';
import { DomainError, ERROR_CODES, WEBHOOK_DELIVERY_STATUSES, WEBHOOK_EVENT_TYPES, type WebhookDeliveryStatus, type WebhookEventType } from '@am/contracts';
import { WEBHOOK_DESCRIPTION_MAX, WEBHOOK_URL_MAX } from '@am/service-kit';
import { PageQueryDto } from '../common/pagination.dto';

const lowerCase = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.toLowerCase() : value);

/**
 * An absolute http or https URL with a host, as the WHATWG URL parser reads it. Whether the scheme
 * and the address are allowed (https in production, no private address) is the directory's to say.
 */
function IsHttpUrl(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isHttpUrl',
      validator: {
        validate: (value: unknown) => {
          if (typeof value !== 'string' || !URL.canParse(value)) return false;
          const url = new URL(value);
          return (url.protocol === 'https:' || url.protocol === 'http:') && url.hostname.length > 0 && !url.username && !url.password;
        },
      },
    },
    options,
  );
}

const EVENTS_MESSAGE = `events must each be one of ${WEBHOOK_EVENT_TYPES.join(', ')}`;

export class CreateWebhookDto {
  @ApiProperty({
    maxLength: WEBHOOK_URL_MAX,
    example: 'https://registry.example.com/hooks/access-manager',
    description: 'Where deliveries are POSTed: https (http only where WEBHOOK_ALLOW_PRIVATE allows it), never a loopback, private or link-local address. Redirects are not followed.',
  })
  @IsHttpUrl({ message: 'url must be an absolute http(s) URL without credentials, e.g. https://registry.example.com/hooks' })
  @MaxLength(WEBHOOK_URL_MAX, { message: `url must be at most ${WEBHOOK_URL_MAX} characters` })
  @IsString({ message: 'url must be a string' })
  url!: string;

  // class-validator checks these bottom-up and the 400 names the first broken one: the array itself first.
  @ApiProperty({ enum: WEBHOOK_EVENT_TYPES, enumName: 'WebhookEventType', isArray: true, minItems: 1, maxItems: WEBHOOK_EVENT_TYPES.length, uniqueItems: true, example: ['role-request.decided', 'access.removed'] })
  @IsIn(WEBHOOK_EVENT_TYPES, { each: true, message: EVENTS_MESSAGE })
  @ArrayUnique({ message: 'events must not name an event twice' })
  @ArrayMaxSize(WEBHOOK_EVENT_TYPES.length, { message: `events must name at most ${WEBHOOK_EVENT_TYPES.length} events` })
  @ArrayMinSize(1, { message: 'events must name at least 1 event' })
  @IsArray({ message: 'events must be an array of event types' })
  events!: WebhookEventType[];

  // Absent means every organization; null is no organization id (refused here, not by the directory).
  @ApiPropertyOptional({ format: 'uuid', description: 'Only this organization’s events; without it, every organization’s' })
  @ValidateIf((_, v) => v !== undefined)
  @Transform(lowerCase)
  @IsUUID('all', { message: 'organizationId must be a UUID' })
  organizationId?: string;

  @ApiPropertyOptional({ maxLength: WEBHOOK_DESCRIPTION_MAX, example: 'ACME QCDR: role decisions' })
  @ValidateIf((_, v) => v !== undefined)
  @MaxLength(WEBHOOK_DESCRIPTION_MAX, { message: `description must be at most ${WEBHOOK_DESCRIPTION_MAX} characters` })
  @IsString({ message: 'description must be a string' })
  description?: string;
}

export class UpdateWebhookDto {
  // Absent means unchanged; null is not a value of events or paused (refused here, not by the directory).
  @ApiPropertyOptional({ enum: WEBHOOK_EVENT_TYPES, enumName: 'WebhookEventType', isArray: true, minItems: 1, maxItems: WEBHOOK_EVENT_TYPES.length, uniqueItems: true, description: 'Replaces the events' })
  @ValidateIf((_, v) => v !== undefined)
  @IsIn(WEBHOOK_EVENT_TYPES, { each: true, message: EVENTS_MESSAGE })
  @ArrayUnique({ message: 'events must not name an event twice' })
  @ArrayMaxSize(WEBHOOK_EVENT_TYPES.length, { message: `events must name at most ${WEBHOOK_EVENT_TYPES.length} events` })
  @ArrayMinSize(1, { message: 'events must name at least 1 event' })
  @IsArray({ message: 'events must be an array of event types' })
  events?: WebhookEventType[];

  @ApiPropertyOptional({ description: 'true pauses deliveries; false resumes them (also a subscription paused after failing, or disabled by a 410)' })
  @ValidateIf((_, v) => v !== undefined)
  @IsBoolean({ message: 'paused must be true or false' })
  paused?: boolean;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: WEBHOOK_DESCRIPTION_MAX, description: 'Replaces the description (trimmed); null or an empty string removes it' })
  @ValidateIf((_, v) => v !== undefined && v !== null)
  @MaxLength(WEBHOOK_DESCRIPTION_MAX, { message: `description must be at most ${WEBHOOK_DESCRIPTION_MAX} characters` })
  @IsString({ message: 'description must be a string or null' })
  description?: string | null;
}

/** A rule no one field's validator can say: a change changes something. */
export function assertSomethingToChange(dto: UpdateWebhookDto): void {
  if (dto.events === undefined && dto.paused === undefined && dto.description === undefined) {
    throw new DomainError(ERROR_CODES.VALIDATION_FAILED, 'body must carry at least one of events, paused and description: the change to make', 'body');
  }
}

export class WebhookIdParams {
  @ApiProperty({ format: 'uuid', description: 'The subscription' })
  @Transform(lowerCase)
  @IsUUID('all', { message: 'id must be a UUID' })
  id!: string;
}

export class WebhookDeliveryParams extends WebhookIdParams {
  @ApiProperty({ format: 'uuid', description: 'One of its deliveries (the webhook-id header carries it as msg_ and its hex)' })
  @Transform(lowerCase)
  @IsUUID('all', { message: 'deliveryId must be a UUID' })
  deliveryId!: string;
}

export class ListWebhookDeliveriesQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: WEBHOOK_DELIVERY_STATUSES, enumName: 'WebhookDeliveryStatus', description: 'Only the deliveries in this state' })
  @IsOptional()
  @IsIn(WEBHOOK_DELIVERY_STATUSES, { message: `status must be one of ${WEBHOOK_DELIVERY_STATUSES.join(', ')}` })
  status?: WebhookDeliveryStatus;
}
