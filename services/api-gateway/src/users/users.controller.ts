import { Body, Controller, Get, HttpCode, Inject, Param, Post } from '@nestjs/common';
import type { ClientProxy } from '@nestjs/microservices';
import { ApiBearerAuth, ApiCookieAuth, ApiForbiddenResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { DIRECTORY_CLIENT, DIRECTORY_PATTERNS, proofTarget, type AccountView } from '@am/contracts';
import { call } from '@am/service-kit';
import { CallerProofs } from '../auth/caller-proofs.service';
import { Principal, type CallerPrincipal } from '../auth/principal';
import { ReasonDto, UserRefParams } from './users.dto';
import { AccountResponse } from './users.responses';

const FORBIDDEN = 'Not the help desk; or the help desk’s own account (another member must do it)';

/** The help desk's hold on accounts (issue 10): look one up, disable and enable it, reset its two-factor; each audited with a reason. */
@ApiTags('users')
@ApiBearerAuth()
@ApiCookieAuth()
@Controller('users')
export class UsersController {
  constructor(
    @Inject(DIRECTORY_CLIENT) private readonly directory: ClientProxy,
    private readonly proofs: CallerProofs,
  ) {}

  @Get(':userId')
  @ApiOperation({ summary: 'An account: verified, enrolled, disabled (help desk)' })
  @ApiOkResponse({ type: AccountResponse })
  @ApiForbiddenResponse({ description: 'Not the help desk' })
  @ApiNotFoundResponse({ description: 'No account has this user id' })
  get(@Principal() p: CallerPrincipal, @Param() params: UserRefParams): Promise<AccountView> {
    return call(this.directory, DIRECTORY_PATTERNS.getAccount, { viewerId: p.userId, user: params.userId });
  }

  @Post(':userId/disable')
  @HttpCode(200)
  @ApiOperation({ summary: 'Disable an account (help desk): it cannot sign in, and its sessions are refused within a second on every gateway instance. Audited with the reason; the owner is emailed.' })
  @ApiOkResponse({ type: AccountResponse, description: 'The account; disabling a disabled account changes nothing' })
  @ApiForbiddenResponse({ description: FORBIDDEN })
  @ApiNotFoundResponse({ description: 'No account has this user id' })
  async disable(@Principal() p: CallerPrincipal, @Param() params: UserRefParams, @Body() dto: ReasonDto): Promise<AccountView> {
    const proof = await this.proofs.for(p, 'account.disable', proofTarget.account(params.userId));
    return call(this.directory, DIRECTORY_PATTERNS.disableAccount, { actorId: p.userId, user: params.userId, reason: dto.reason.trim(), proof });
  }

  @Post(':userId/enable')
  @HttpCode(200)
  @ApiOperation({ summary: 'Enable a disabled account again (help desk). Audited with the reason; the owner is emailed.' })
  @ApiOkResponse({ type: AccountResponse, description: 'The account; enabling an enabled account changes nothing' })
  @ApiForbiddenResponse({ description: FORBIDDEN })
  @ApiNotFoundResponse({ description: 'No account has this user id' })
  async enable(@Principal() p: CallerPrincipal, @Param() params: UserRefParams, @Body() dto: ReasonDto): Promise<AccountView> {
    const proof = await this.proofs.for(p, 'account.enable', proofTarget.account(params.userId));
    return call(this.directory, DIRECTORY_PATTERNS.enableAccount, { actorId: p.userId, user: params.userId, reason: dto.reason.trim(), proof });
  }

  @Post(':userId/reset-two-factor')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Reset an account’s two-factor (help desk): its authenticator secret and recovery codes stop working, its sessions end, and its next sign-in enrolls anew. Audited with the reason; the owner is emailed.',
  })
  @ApiOkResponse({ type: AccountResponse })
  @ApiForbiddenResponse({ description: FORBIDDEN })
  @ApiNotFoundResponse({ description: 'No account has this user id' })
  async resetTwoFactor(@Principal() p: CallerPrincipal, @Param() params: UserRefParams, @Body() dto: ReasonDto): Promise<AccountView> {
    const proof = await this.proofs.for(p, 'account.reset-two-factor', proofTarget.account(params.userId));
    return call(this.directory, DIRECTORY_PATTERNS.resetTwoFactor, { actorId: p.userId, user: params.userId, reason: dto.reason.trim(), proof });
  }
}
