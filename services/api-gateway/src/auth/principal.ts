import { createParamDecorator, SetMetadata, type ExecutionContext } from '@nestjs/common';
import type { AuthenticatedPrincipal } from '@am/contracts';

export const IS_PUBLIC = 'isPublic';
/** Marks a route that needs no session. */
export const Public = () => SetMetadata(IS_PUBLIC, true);

export interface AuthenticatedRequest {
  principal?: AuthenticatedPrincipal & { sessionId: string };
}

/** The signed-in caller, set by the session guard. */
export const Principal = createParamDecorator((_: unknown, ctx: ExecutionContext) => {
  return ctx.switchToHttp().getRequest<AuthenticatedRequest>().principal;
});
