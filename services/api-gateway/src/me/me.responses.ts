// Documentation only: the OpenAPI shape of MeView (@am/contracts), with the demo's examples.
import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { ORG_ROLES, PLATFORM_ROLES, type MeView, type OrgRole, type PlatformRole, type UserRoleView } from '@am/contracts';
import { EXAMPLE_IDS, OrganizationSummaryResponse } from '../common/shared.responses';

@ApiSchema({ name: 'UserRoleView' })
export class UserRoleResponse implements UserRoleView {
  @ApiProperty({ type: () => OrganizationSummaryResponse }) organization!: OrganizationSummaryResponse;
  @ApiProperty({ enum: ORG_ROLES, enumName: 'OrgRole', example: 'SECURITY_OFFICIAL' }) role!: OrgRole;
}

@ApiSchema({ name: 'MeView' })
export class MeResponse implements MeView {
  @ApiProperty({ format: 'uuid', example: EXAMPLE_IDS.elizabeth }) id!: string;
  @ApiProperty({ example: 'elizabeth.blackwell' }) loginId!: string;
  @ApiProperty({ example: 'Elizabeth Blackwell' }) displayName!: string;
  @ApiProperty({ format: 'email', example: 'elizabeth.blackwell@example.com' }) email!: string;
  @ApiProperty({ enum: PLATFORM_ROLES, enumName: 'PlatformRole', nullable: true, description: 'HELP_DESK for the program’s service center; null for everyone else', example: null })
  platformRole!: PlatformRole | null;
  @ApiProperty({ type: () => [UserRoleResponse], description: 'The roles held, one per organization' }) roles!: UserRoleResponse[];
}
