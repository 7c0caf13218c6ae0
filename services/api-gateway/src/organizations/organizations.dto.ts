import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { ORGANIZATION_KINDS, type OrganizationKind } from '@am/contracts';
import { PageQueryDto } from '../common/pagination.dto';

export class SearchOrganizationsDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'Part of the name, or the start of the identifier (TIN, ...)', maxLength: 200 })
  @IsOptional()
  @IsString()
  @MaxLength(200, { message: 'q must be at most 200 characters' })
  q?: string;

  @ApiPropertyOptional({ enum: ORGANIZATION_KINDS })
  @IsOptional()
  @IsIn(ORGANIZATION_KINDS, { message: `type must be one of ${ORGANIZATION_KINDS.join(', ')}` })
  type?: OrganizationKind;
}

export class OrgIdParams {
  @ApiProperty({ format: 'uuid' })
  @IsUUID('all', { message: 'orgId must be a UUID' })
  orgId!: string;
}

export class OrgUserParams extends OrgIdParams {
  @ApiProperty({ format: 'uuid' })
  @IsUUID('all', { message: 'userId must be a UUID' })
  userId!: string;
}

const REASON_DOC = 'Why: required when the help desk removes the organization’s only Security Official (recorded in the audit log).';

export class RemoveAccessBodyDto {
  @ApiPropertyOptional({ maxLength: 1000, description: REASON_DOC })
  @IsOptional()
  @IsString({ message: 'reason must be a string' })
  @MaxLength(1000, { message: 'reason must be at most 1000 characters' })
  reason?: string;
}

export class RemoveAccessQueryDto extends RemoveAccessBodyDto {}

export class RegistrationDto {
  @ApiProperty({ description: 'Registered for the CMS Web Interface' })
  @IsBoolean({ message: 'cmsWebInterface must be true or false' })
  cmsWebInterface!: boolean;

  @ApiProperty({ description: 'Registered for the CAHPS for MIPS survey' })
  @IsBoolean({ message: 'cahpsSurvey must be true or false' })
  cahpsSurvey!: boolean;
}
