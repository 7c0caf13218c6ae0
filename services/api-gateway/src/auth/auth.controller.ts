import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import type { AuthenticatedPrincipal } from '@am/contracts';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { MfaChallengeResponse, MfaDto, SignInDto } from './auth.dto';
import { AuthService } from './auth.service';
import { Principal, Public } from './principal';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
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
  @ApiOperation({ summary: 'Second step of sign-in: the security code; returns the session token' })
  @ApiUnauthorizedResponse({ description: 'The code or the mfaToken is invalid or expired' })
  mfa(@Body() dto: MfaDto) {
    return this.auth.completeMfa(dto);
  }

  @Post('sign-out')
  @HttpCode(204)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Ends the session: its token is refused from now on' })
  @ApiNoContentResponse()
  signOut(@Principal() p: AuthenticatedPrincipal & { sessionId: string }) {
    return this.auth.signOut(p.sessionId);
  }
}
