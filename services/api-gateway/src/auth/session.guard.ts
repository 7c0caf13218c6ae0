import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { ClientProxy } from '@nestjs/microservices';
import { DIRECTORY_CLIENT, DIRECTORY_PATTERNS, DomainError, ERROR_CODES } from '@am/contracts';
import { call } from '@am/service-kit';
import { IS_PUBLIC, type AuthenticatedRequest } from './principal';
import { TokensService } from './tokens.service';

/** Every route needs a live session's token (Authorization: Bearer) unless marked @Public(). */
@Injectable()
export class SessionGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: TokensService,
    @Inject(DIRECTORY_CLIENT) private readonly directory: ClientProxy,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [ctx.getHandler(), ctx.getClass()])) return true;
    const req = ctx.switchToHttp().getRequest<AuthenticatedRequest & { headers: Record<string, string | undefined> }>();
    const header = req.headers.authorization ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) throw new DomainError(ERROR_CODES.UNAUTHENTICATED, 'Sign in first: send Authorization: Bearer <accessToken>');
    const principal = await this.tokens.verifyAccessToken(match[1]);
    // The signature says who; the directory says whether the session is still live (sign-out).
    await call(this.directory, DIRECTORY_PATTERNS.checkSession, { sessionId: principal.sessionId });
    req.principal = principal;
    return true;
  }
}
