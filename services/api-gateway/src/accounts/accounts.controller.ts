import { Body, Controller, HttpCode, Inject, Post, Req, Res } from '@nestjs/common';
import type { ClientProxy } from '@nestjs/microservices';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiForbiddenResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiTooManyRequestsResponse,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { DIRECTORY_CLIENT, DIRECTORY_PATTERNS, type VerifyEmailResult } from '@am/contracts';
import { call } from '@am/service-kit';
import { Public } from '../auth/principal';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config/gateway.config';
import { AccountThrottle, noSoonerThan } from './account-throttle';
import { ForgotPasswordDto, ForgotUserIdDto, RegisterDto, ResetPasswordDto, TokenDto } from './accounts.dto';
import { AccountLinkUsedResponse, AccountRequestAcceptedResponse } from './accounts.responses';

const THROTTLED = 'Too many requests from this address, or for this email address or user id (THROTTLED): Retry-After says when to retry';

/**
 * Self-service accounts (issue 10), for people who are not signed in: register, verify the email
 * address, recover a forgotten user id or password. Rate-limited; the answers to register and to
 * "forgot" are the same whether or not an account (or an email address) exists.
 */
@ApiTags('accounts')
@Public()
@Controller('accounts')
export class AccountsController {
  constructor(
    @Inject(DIRECTORY_CLIENT) private readonly directory: ClientProxy,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    private readonly throttle: AccountThrottle,
  ) {}

  @Post()
  @HttpCode(202)
  @ApiOperation({
    summary: 'Register an account; a single-use link to verify the email address is emailed',
    description:
      'The account cannot sign in until the address is verified (POST /accounts/verify-email). The answer never tells whether the ' +
      'email address belongs to an account already (its owner is emailed instead); a taken user id is refused (409). Registering ' +
      'again with the same user id, email address and password sends a new link (the first was lost or expired).',
  })
  @ApiAcceptedResponse({ type: AccountRequestAcceptedResponse })
  @ApiBadRequestResponse({ description: 'A field is malformed, or the password breaks the policy: `field` names it (password: details.rule is min-length, max-length, common or contains-user-id)' })
  @ApiConflictResponse({ description: 'The user id is taken (USER_ID_TAKEN)' })
  @ApiTooManyRequestsResponse({ description: THROTTLED })
  async register(@Body() dto: RegisterDto, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<AccountRequestAcceptedResponse> {
    await this.throttle.check(req, res, 'register');
    await this.evenly(() => call(this.directory, DIRECTORY_PATTERNS.register, { loginId: dto.userId, displayName: dto.displayName.trim(), email: dto.email, password: dto.password }));
    return { message: 'Check your email to finish registering: we sent a message to the address you gave.' };
  }

  @Post('verify-email')
  @HttpCode(200)
  @ApiOperation({ summary: 'Verify the email address with the token of the emailed link (works once, until it expires)' })
  @ApiOkResponse({ type: AccountLinkUsedResponse })
  @ApiBadRequestResponse({ description: 'The link is unknown, used already or expired (INVALID_TOKEN, details.reason), or the body is malformed' })
  @ApiConflictResponse({ description: 'Another account verified this email address first (EMAIL_IN_USE)' })
  @ApiTooManyRequestsResponse({ description: THROTTLED })
  async verifyEmail(@Body() dto: TokenDto, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<AccountLinkUsedResponse> {
    await this.throttle.check(req, res, 'verify-email');
    const { loginId } = await call<VerifyEmailResult>(this.directory, DIRECTORY_PATTERNS.verifyEmail, { token: dto.token });
    return { userId: loginId, message: 'Your email address is verified. Sign in to set up two-factor authentication.' };
  }

  @Post('forgot-user-id')
  @HttpCode(202)
  @ApiOperation({ summary: 'Email the user id of the account with this email address, if there is one (the answer is the same either way)' })
  @ApiAcceptedResponse({ type: AccountRequestAcceptedResponse })
  @ApiBadRequestResponse({ description: 'email is not an email address' })
  @ApiTooManyRequestsResponse({ description: THROTTLED })
  async forgotUserId(@Body() dto: ForgotUserIdDto, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<AccountRequestAcceptedResponse> {
    await this.throttle.check(req, res, 'forgot-user-id', dto.email);
    await this.evenly(() => call(this.directory, DIRECTORY_PATTERNS.forgotUserId, { email: dto.email }));
    return { message: 'If an account uses this email address, its user id is on its way there.' };
  }

  @Post('forgot-password')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Email a single-use link to reset the password of the account with this user id, if there is one (the answer is the same either way)',
    description: 'A newer link replaces an older one. Then POST /accounts/reset-password with its token.',
  })
  @ApiAcceptedResponse({ type: AccountRequestAcceptedResponse })
  @ApiBadRequestResponse({ description: 'userId is missing or malformed' })
  @ApiTooManyRequestsResponse({ description: THROTTLED })
  async forgotPassword(@Body() dto: ForgotPasswordDto, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<AccountRequestAcceptedResponse> {
    await this.throttle.check(req, res, 'forgot-password', dto.userId);
    await this.evenly(() => call(this.directory, DIRECTORY_PATTERNS.forgotPassword, { loginId: dto.userId }));
    return { message: 'If this user id belongs to an account that can sign in, a link to reset its password is on its way to its email address.' };
  }

  @Post('reset-password')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Set a new password with the token of the emailed reset link (works once, until it expires); every session of the account ends',
  })
  @ApiOkResponse({ type: AccountLinkUsedResponse })
  @ApiBadRequestResponse({
    description: 'The link is unknown, used already or expired (INVALID_TOKEN, details.reason), or the password breaks the policy (field password, details.rule): the link then still works',
  })
  @ApiForbiddenResponse({ description: 'The help desk disabled the account after the link was sent (ACCOUNT_DISABLED)' })
  @ApiTooManyRequestsResponse({ description: THROTTLED })
  async resetPassword(@Body() dto: ResetPasswordDto, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<AccountLinkUsedResponse> {
    await this.throttle.check(req, res, 'reset-password');
    const { loginId } = await call<{ loginId: string }>(this.directory, DIRECTORY_PATTERNS.resetPassword, { token: dto.token, password: dto.password });
    return { userId: loginId, message: 'Your password was changed, and the account was signed out everywhere. Sign in with the new password.' };
  }

  /** Runs `work`, answering (or failing) no sooner than ACCOUNT_MIN_RESPONSE_MS after it began. */
  private async evenly(work: () => Promise<unknown>): Promise<void> {
    const started = Date.now();
    try {
      await work();
    } finally {
      await noSoonerThan(started, this.config.ACCOUNT_MIN_RESPONSE_MS);
    }
  }
}
