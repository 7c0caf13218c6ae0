import { Controller, Get, Inject } from '@nestjs/common';
import type { ClientProxy } from '@nestjs/microservices';
import { ApiBearerAuth, ApiCookieAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { DIRECTORY_CLIENT, DIRECTORY_PATTERNS, type AuthenticatedPrincipal, type MeView } from '@am/contracts';
import { call } from '@am/service-kit';
import { Principal } from '../auth/principal';
import { MeResponse } from './me.responses';

@ApiTags('me')
@ApiBearerAuth()
@ApiCookieAuth()
@Controller('me')
export class MeController {
  constructor(@Inject(DIRECTORY_CLIENT) private readonly directory: ClientProxy) {}

  @Get()
  @ApiOperation({ summary: 'The signed-in user, their role at each organization, and their platform role' })
  @ApiOkResponse({ type: MeResponse })
  me(@Principal() principal: AuthenticatedPrincipal): Promise<MeView> {
    return call<MeView>(this.directory, DIRECTORY_PATTERNS.getMe, { userId: principal.userId });
  }
}
