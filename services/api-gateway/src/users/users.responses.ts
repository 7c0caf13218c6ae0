// Documentation only: the OpenAPI shape of AccountView (@am/contracts).
import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { PLATFORM_ROLES, type AccountView, type PlatformRole } from '@am/contracts';
import { EXAMPLE_IDS, EXAMPLE_TIME } from '../common/shared.responses';

@ApiSchema({ name: 'AccountView', description: 'An account as the help desk sees it' })
export class AccountResponse implements AccountView {
  @ApiProperty({ format: 'uuid', example: EXAMPLE_IDS.thomas }) id!: string;
  @ApiProperty({ example: 'thomas.miller' }) loginId!: string;
  @ApiProperty({ example: 'Thomas Miller, MD' }) displayName!: string;
  @ApiProperty({ format: 'email', example: 'thomas.miller@example.com' }) email!: string;
  @ApiProperty({ enum: PLATFORM_ROLES, enumName: 'PlatformRole', nullable: true, example: null }) platformRole!: PlatformRole | null;
  @ApiProperty({ description: 'False until the registration’s link was used: the account cannot sign in', example: true }) emailVerified!: boolean;
  @ApiProperty({ description: 'False for a new account, or after the help desk reset its two-factor: the next sign-in enrolls', example: true }) twoFactorEnrolled!: boolean;
  @ApiProperty({ minimum: 0, example: 10 }) recoveryCodesRemaining!: number;
  @ApiProperty({ description: 'A disabled account cannot sign in', example: false }) disabled!: boolean;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, example: null }) disabledAt!: string | null;
  @ApiProperty({ format: 'date-time', example: EXAMPLE_TIME }) createdAt!: string;
}
