import { Body, Controller, HttpCode, Inject, Post, Res } from '@nestjs/common';
import type { Response } from 'express';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiCookieAuth,
  ApiForbiddenResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { MfaChallengeResponse, MfaDto, SignInDto } from './auth.dto';
import { SessionResponse } from './auth.responses';
import { AuthService } from './auth.service';
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
  @Post('sign-in')
  @HttpCode(200)
  @ApiOperation({ summary: 'First step of sign-in: user id, password and the Statement of Truth' })
  @ApiOkResponse({ type: MfaChallengeResponse })
  @ApiBadRequestResponse({ description: 'The Statement of Truth was not accepted, or a field is malformed' })
  @ApiUnauthorizedResponse({ description: 'The user id or password is wrong (the answer does not say which)' })
  @ApiTooManyRequestsResponse({ description: 'Too many failed sign-ins: the login id is locked for a while' })
  signIn(@Body() dto: SignInDto) {
    return this.auth.signIn(dto);
  }

  @Public()
  @Post('mfa')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Second step of sign-in: the security code; returns the session token',
    description: 'With session=cookie the token is set as the am_session cookie (with the am_csrf cookie) and left out of the answer.',
  })
  @ApiOkResponse({ type: SessionResponse, description: 'The session: accessToken (session=token only), expiresAt, csrfToken and the user' })
  @ApiBadRequestResponse({ description: 'The code is not 6 digits, or a field is malformed' })
  @ApiUnauthorizedResponse({ description: 'The code or the mfaToken is invalid or expired' })
  @ApiTooManyRequestsResponse({ description: 'Too many failed sign-ins: the login id is locked for a while' })
  async mfa(@Body() dto: MfaDto, @Res({ passthrough: true }) res: Response) {
    const { accessToken, ...rest } = await this.auth.completeMfa(dto);
    if (dto.session !== 'cookie') return { accessToken, ...rest };
    // Cookie mode: the token stays out of reach of the page's scripts.
    setSessionCookies(res, this.config, { accessToken, expiresAt: rest.expiresAt, csrfToken: rest.csrfToken });
    return rest;
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
}
