import { applyDecorators, createParamDecorator, SetMetadata, type ExecutionContext } from '@nestjs/common';
import { ApiExtension } from '@nestjs/swagger';
import type { ApiKeyScope, AuthenticatedPrincipal } from '@am/contracts';

export const IS_PUBLIC = 'isPublic';
/** OpenAPI extensions that tell common/openapi.ts which security each operation has. */
export const OPENAPI_PUBLIC = 'x-public';
export const OPENAPI_API_KEY_SCOPE = 'x-api-key-scope';

/** Marks a route that needs no session. */
export const Public = () => applyDecorators(SetMetadata(IS_PUBLIC, true), ApiExtension(OPENAPI_PUBLIC, true));

export const API_KEY_SCOPE = 'apiKeyScope';
/**
 * Opens a route to API keys that hold this scope. Routes without it are for people only: an API
 * key is refused there (403), whatever its scopes.
 */
export const ApiKeyScoped = (scope: ApiKeyScope) => applyDecorators(SetMetadata(API_KEY_SCOPE, scope), ApiExtension(OPENAPI_API_KEY_SCOPE, scope));

export interface CallerPrincipal extends AuthenticatedPrincipal {
  /** The session of a signed-in person; null for an API key. */
  sessionId: string | null;
  /** How the caller authenticated. */
  via: 'bearer' | 'cookie' | 'api-key';
  /** For API keys: which key (the principal is whom it acts as). */
  apiKey?: { id: string; name: string; scopes: ApiKeyScope[] };
}

export interface AuthenticatedRequest {
  principal?: CallerPrincipal;
}

/** A stable name for the caller, for idempotency keys and logs: the key and whom it acts as, or the user. */
export function callerKey(p: CallerPrincipal | undefined): string {
  if (!p) return 'anonymous';
  return p.apiKey ? `api-key:${p.apiKey.id}:${p.userId}` : p.userId;
}

/** The signed-in caller, set by the session guard. */
export const Principal = createParamDecorator((_: unknown, ctx: ExecutionContext) => {
  return ctx.switchToHttp().getRequest<AuthenticatedRequest>().principal;
});
