import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsISO8601, IsObject, IsOptional, IsUUID, ValidateNested } from 'class-validator';
import { ACCESS_REVIEW_DECISIONS, ACCESS_REVIEW_DECISIONS_MAX, DomainError, ERROR_CODES, type AccessReviewDecision } from '@am/contracts';
import { PageQueryDto } from '../common/pagination.dto';

const lowerCase = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.toLowerCase() : value);

export class StartAccessReviewDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'Review this organization only; without it, every organization with connected users (but Shared Savings Program ACOs)' })
  @IsOptional()
  @Transform(lowerCase)
  @IsUUID('all', { message: 'organizationId must be a UUID' })
  organizationId?: string;

  @ApiProperty({ format: 'date-time', description: 'When the review is due: at least 10 seconds ahead, at most 366 days', example: '2026-12-31T05:00:00.000Z' })
  @IsISO8601({ strict: true }, { message: 'dueAt must be a date-time (ISO 8601, e.g. 2026-12-31T05:00:00Z)' })
  dueAt!: string;
}

export class AccessReviewDecisionItemDto {
  @ApiProperty({ format: 'uuid', description: 'A user under review' })
  @Transform(lowerCase)
  @IsUUID('all', { message: 'userId must be a UUID' })
  userId!: string;

  @ApiProperty({ enum: ACCESS_REVIEW_DECISIONS, enumName: 'AccessReviewDecision' })
  @IsIn(ACCESS_REVIEW_DECISIONS, { message: `decision must be one of ${ACCESS_REVIEW_DECISIONS.join(', ')}` })
  decision!: AccessReviewDecision;
}

export class AccessReviewDecisionsDto {
  // class-validator checks these bottom-up and the 400 names the first broken one: the array itself first.
  @ApiProperty({ type: () => [AccessReviewDecisionItemDto], minItems: 1, maxItems: ACCESS_REVIEW_DECISIONS_MAX, description: 'Each user at most once; each decided as if alone, answered in this order' })
  @ValidateNested({ each: true })
  @Type(() => AccessReviewDecisionItemDto)
  @ArrayMaxSize(ACCESS_REVIEW_DECISIONS_MAX, { message: `items must hold at most ${ACCESS_REVIEW_DECISIONS_MAX} decisions` })
  @IsObject({ each: true, message: 'items must hold objects {userId, decision}' })
  @ArrayMinSize(1, { message: 'items must hold at least 1 decision' })
  @IsArray({ message: 'items must be an array of {userId, decision}' })
  items!: AccessReviewDecisionItemDto[];
}

/** A rule one field's validator cannot say: each user at most once. */
export function assertDistinctUsers(dto: AccessReviewDecisionsDto): void {
  const seen = new Set<string>();
  for (const [i, item] of dto.items.entries()) {
    if (seen.has(item.userId)) throw new DomainError(ERROR_CODES.VALIDATION_FAILED, 'items must name each user at most once', `items.${i}.userId`);
    seen.add(item.userId);
  }
}

export class AccessReviewIdParams {
  @ApiProperty({ format: 'uuid', description: 'A campaign’s id or an organization’s review id' })
  @Transform(lowerCase)
  @IsUUID('all', { message: 'id must be a UUID' })
  id!: string;
}

export class AccessReviewPageQueryDto extends PageQueryDto {}
