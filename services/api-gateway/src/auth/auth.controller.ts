import { Body, Controller, HttpCode, Inject, Post, Res, UseGuards } from '@nestjs/common';
import type { Response } from 'express';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCookieAuth,
  ApiForbiddenResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { ConfirmEnrollmentDto, EnrollDto, MfaChallengeResponse, MfaDto, SignInDto } from './auth.dto';
import { EnrolledSessionResponse, SessionResponse, TwoFactorSecretResponse } from './auth.responses';
import { AuthRateLimitGuard } from './auth-rate-limit.guard';
import { AuthService, type CompletedSignIn } from './auth.service';
import { DomainError, ERROR_CODES } from '@am/contracts';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config/gateway.config';
import { clearSessionCookies, setSessionCookies } from './cookies';
import { Principal, Public, type CallerPrincipal } from './principal';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {}

  @Public()
  @UseGuards(AuthRateLimitGuard)
  @Post('sign-in')
  @HttpCode(200)
  @ApiOperation({
    summary: 'First step of sign-in: user id, password and the Statement of Truth',
    description:
      'Answers the next step: `mfa` with an mfaToken (POST /auth/mfa), or `enroll-two-factor` with an enrollmentToken for an account ' +
      'without a second factor yet (POST /auth/mfa/enroll, then /auth/mfa/enroll/confirm).',
  })
  @ApiOkResponse({ type: MfaChallengeResponse })
  @ApiBadRequestResponse({ description: 'The Statement of Truth was not accepted, or a field is malformed' })
  @ApiUnauthorizedResponse({ description: 'The user id or password is wrong (the answer does not say which)' })
  @ApiForbiddenResponse({ description: 'The password is right, but the account is disabled (ACCOUNT_DISABLED) or its email address is not verified yet (EMAIL_NOT_VERIFIED)' })
  @ApiTooManyRequestsResponse({ description: 'Too many failed sign-ins: the login id is locked for a while' })
  signIn(@Body() dto: SignInDto) {
    return this.auth.signIn(dto);
  }

  @Public()
  @UseGuards(AuthRateLimitGuard)
  @Post('mfa')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Second step of sign-in: the security code (or a recovery code); returns the session token',
    description:
      'Send `code` (6 digits from the authenticator app) or, instead, `recoveryCode` (one of the ten shown at enrollment; each works once). ' +
      'With session=cookie the token is set as the am_session cookie (with the am_csrf cookie) and left out of the answer.',
  })
  @ApiOkResponse({ type: SessionResponse, description: 'The session: accessToken (session=token only), expiresAt, csrfToken and the user' })
  @ApiBadRequestResponse({ description: 'The code is not 6 digits, both code and recoveryCode were sent, or a field is malformed' })
  @ApiUnauthorizedResponse({ description: 'The code (or recovery code) or the mfaToken is invalid or expired' })
  @ApiForbiddenResponse({ description: 'The account was disabled meanwhile (ACCOUNT_DISABLED)' })
  @ApiTooManyRequestsResponse({ description: 'Too many failed sign-ins: the login id is locked for a while' })
  async mfa(@Body() dto: MfaDto, @Res({ passthrough: true }) res: Response) {
    return this.answerSession(await this.auth.completeMfa(dto), dto.session, res);
  }

  @Public()
  @UseGuards(AuthRateLimitGuard)
  @Post('mfa/enroll')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Two-factor enrollment, step 1: a new TOTP secret, as an otpauth URI and its QR code',
    description:
      'For an account whose sign-in answered next = enroll-two-factor. The secret is in this answer only; asking again issues a new one ' +
      'and the earlier one can no longer be confirmed. Then POST /auth/mfa/enroll/confirm with the first code the app shows.',
  })
  @ApiOkResponse({ type: TwoFactorSecretResponse })
  @ApiBadRequestResponse({ description: 'enrollmentToken is missing or malformed' })
  @ApiUnauthorizedResponse({ description: 'The enrollmentToken is invalid or expired: sign in again' })
  @ApiForbiddenResponse({ description: 'The account was disabled meanwhile (ACCOUNT_DISABLED)' })
  @ApiConflictResponse({ description: 'The account has a second factor already (ALREADY_ENROLLED): sign in with a code' })
  enroll(@Body() dto: EnrollDto) {
    return this.auth.enroll(dto.enrollmentToken);
  }

  @Public()
  @UseGuards(AuthRateLimitGuard)
  @Post('mfa/enroll/confirm')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Two-factor enrollment, step 2: the first code confirms the secret; answers the ten recovery codes (once) and the session',
    description: 'Completes the sign-in like POST /auth/mfa (session=cookie sets the cookies). The recovery codes are in this answer only.',
  })
  @ApiOkResponse({ type: EnrolledSessionResponse })
  @ApiBadRequestResponse({ description: 'The code is not 6 digits, no secret was issued yet (POST /auth/mfa/enroll first), or a field is malformed' })
  @ApiUnauthorizedResponse({ description: 'The code is not valid for the new secret, or the enrollmentToken is invalid or expired' })
  @ApiForbiddenResponse({ description: 'The account was disabled meanwhile (ACCOUNT_DISABLED)' })
  @ApiConflictResponse({ description: 'The account has a second factor already (ALREADY_ENROLLED)' })
  async confirmEnrollment(@Body() dto: ConfirmEnrollmentDto, @Res({ passthrough: true }) res: Response) {
    return this.answerSession(await this.auth.confirmEnrollment(dto), dto.session, res);
  }

  @Post('sign-out')
  @HttpCode(204)
  @ApiBearerAuth()
  @ApiCookieAuth()
  @ApiOperation({ summary: 'Ends the session: its token is refused from now on' })
  @ApiNoContentResponse({ description: 'Signed out' })
  @ApiForbiddenResponse({ description: 'An API key: keys have no session (the help desk revokes keys); or, with the session cookie, X-CSRF-Token is missing or wrong' })
  async signOut(@Principal() p: CallerPrincipal, @Res({ passthrough: true }) res: Response) {
    if (!p.sessionId) throw new DomainError(ERROR_CODES.FORBIDDEN, 'API keys have no session to end: the help desk revokes keys');
    await this.auth.signOut(p.sessionId);
    clearSessionCookies(res, this.config);
  }

  /** The session in the answer (session=token), or in the cookies with the token left out (the web UI). */
  private answerSession<T extends CompletedSignIn>({ accessToken, ...rest }: T, session: 'token' | 'cookie' | undefined, res: Response) {
    if (session !== 'cookie') return { accessToken, ...rest };
    // Cookie mode: the token stays out of reach of the page's scripts.
    setSessionCookies(res, this.config, { accessToken, expiresAt: rest.expiresAt, csrfToken: rest.csrfToken });
    return rest;
  }
}
