import { Controller, Get, Inject } from '@nestjs/common';
import type { ClientProxy } from '@nestjs/microservices';
import { ApiBearerAuth, ApiCookieAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { DIRECTORY_CLIENT, DIRECTORY_PATTERNS, type AuthenticatedPrincipal, type MeView } from '@am/contracts';
import { call } from '@am/service-kit';
import { Principal } from '../auth/principal';

@ApiTags('me')
@ApiBearerAuth()
@ApiCookieAuth()
@Controller('me')
export class MeController {
  constructor(@Inject(DIRECTORY_CLIENT) private readonly directory: ClientProxy) {}

  @Get()
  @ApiOperation({ summary: 'The signed-in user, their role at each organization, and their platform role' })
  me(@Principal() principal: AuthenticatedPrincipal): Promise<MeView> {
    return call<MeView>(this.directory, DIRECTORY_PATTERNS.getMe, { userId: principal.userId });
  }
}
