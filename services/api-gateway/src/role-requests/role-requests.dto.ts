import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsIn, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { DECISIONS, DENY_REASON_CODES, DomainError, ERROR_CODES, ORG_ROLES, type Decision, type DenyReasonCode, type OrgRole } from '@am/contracts';

export class CreateRoleRequestDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID('all', { message: 'organizationId must be a UUID' })
  organizationId!: string;

  @ApiProperty({ enum: ORG_ROLES })
  @IsIn(ORG_ROLES, { message: `role must be one of ${ORG_ROLES.join(', ')}` })
  role!: OrgRole;

  @ApiPropertyOptional({ maxLength: 1000, example: 'I submit quality data for this practice.' })
  @IsOptional()
  @IsString()
  @MaxLength(1000, { message: 'justification must be at most 1000 characters' })
  justification?: string;
}

export class DenyDto {
  @ApiPropertyOptional({
    enum: DENY_REASON_CODES,
    enumName: 'DenyReasonCode',
    description: 'Why (issue 17): the requester is told it in plain words, with what to do next. OTHER when not given; OTHER needs a reason.',
  })
  @IsOptional()
  @IsIn(DENY_REASON_CODES, { message: `reasonCode must be one of ${DENY_REASON_CODES.join(', ')}` })
  reasonCode?: DenyReasonCode;

  @ApiPropertyOptional({ maxLength: 1000, description: 'Told to the requester; required when reasonCode is OTHER' })
  @IsOptional()
  @IsString()
  @MaxLength(1000, { message: 'reason must be at most 1000 characters' })
  reason?: string;
}

/** How many requests one bulk decision takes (issue 17). */
export const MAX_DECISIONS_PER_CALL = 100;

export class DecisionsDto extends DenyDto {
  @ApiProperty({ enum: DECISIONS, enumName: 'Decision' })
  @IsIn(DECISIONS, { message: `decision must be one of ${DECISIONS.join(', ')}` })
  decision!: Decision;

  // class-validator checks these bottom-up and the 400 names the first broken one: the array itself first.
  @ApiProperty({ type: [String], format: 'uuid', minItems: 1, maxItems: MAX_DECISIONS_PER_CALL, uniqueItems: true, description: 'The requests to decide, each as if alone; answered in this order' })
  @Transform(({ value }) => (Array.isArray(value) ? value.map(lowerCaseId) : value))
  @IsUUID('all', { each: true, message: 'requestIds must be UUIDs' })
  @ArrayUnique({ message: 'requestIds must not name a request twice' })
  @ArrayMaxSize(MAX_DECISIONS_PER_CALL, { message: `requestIds must name at most ${MAX_DECISIONS_PER_CALL} requests` })
  @ArrayMinSize(1, { message: 'requestIds must name at least 1 request' })
  @IsArray({ message: 'requestIds must be an array of request ids' })
  requestIds!: string[];
}

/** Rules of a denial's reason that one field's validator cannot say: OTHER needs a reason; approvals take none. */
export function assertReasonFits(dto: DenyDto, decision: Decision): void {
  if (decision === 'APPROVE' && (dto.reasonCode !== undefined || dto.reason !== undefined)) {
    throw new DomainError(ERROR_CODES.VALIDATION_FAILED, 'reasonCode and reason go with DENY only: approvals take no reason', dto.reasonCode !== undefined ? 'reasonCode' : 'reason');
  }
  if (dto.reasonCode === 'OTHER' && !dto.reason?.trim()) throw new DomainError(ERROR_CODES.VALIDATION_FAILED, 'reason is required when reasonCode is OTHER', 'reason');
}

/**
 * A UUID names the same request in any letter case (RFC 9562); workflow ids and caller proofs are
 * keyed by the lower-case form, so an id in capitals is read as that (else it found no workflow).
 */
function lowerCaseId(value: unknown): unknown {
  return typeof value === 'string' ? value.toLowerCase() : value;
}

export class RequestIdParams {
  @ApiProperty({ format: 'uuid' })
  @Transform(({ value }) => lowerCaseId(value))
  @IsUUID('all', { message: 'id must be a UUID' })
  id!: string;
}
