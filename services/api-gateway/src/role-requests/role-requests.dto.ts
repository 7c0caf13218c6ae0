import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { DENY_REASON_CODES, ORG_ROLES, type DenyReasonCode, type OrgRole } from '@am/contracts';

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

export class RequestIdParams {
  @ApiProperty({ format: 'uuid' })
  @IsUUID('all', { message: 'id must be a UUID' })
  id!: string;
}
