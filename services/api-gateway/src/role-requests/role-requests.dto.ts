import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { ORG_ROLES, type OrgRole } from '@am/contracts';

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
  @ApiPropertyOptional({ maxLength: 1000 })
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
