import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { ClientProxy } from '@nestjs/microservices';
import type { Request, Response } from 'express';
import { DIRECTORY_CLIENT, DIRECTORY_PATTERNS, DomainError, ERROR_CODES, type ApiKeyScope, type VerifiedApiKey } from '@am/contracts';
import { call } from '@am/service-kit';
import { RateLimits } from '../common/rate-limits.service';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config/gateway.config';
import { CSRF_HEADER, csrfTokenMatches, SESSION_COOKIE } from './cookies';
import { API_KEY_SCOPE, IS_PUBLIC, type AuthenticatedRequest, type CallerPrincipal } from './principal';
import { SessionChecks } from './session-checks.service';
import { TokensService } from './tokens.service';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Who is calling, for every route not marked @Public():
 * - `X-Api-Key`: another system; only on routes marked @ApiKeyScoped(scope) with the key holding
 *   that scope; rate-limited per key (429 with Retry-After); `X-On-Behalf-Of` names the user a
 *   `requests:submit` call submits for;
 * - `Authorization: Bearer <token>`: a person;
 * - the `am_session` cookie: the web UI; unsafe methods must echo the CSRF token in X-CSRF-Token.
 * A session token must also name a live session in the directory (sign-out revokes it), as the
 * directory said at most SESSION_CACHE_TTL_MS ago (SessionChecks): a revoked session is refused by
 * every instance within that time.
 */
@Injectable()
export class SessionGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: TokensService,
    private readonly limits: RateLimits,
    private readonly sessions: SessionChecks,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    @Inject(DIRECTORY_CLIENT) private readonly directory: ClientProxy,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [ctx.getHandler(), ctx.getClass()])) return true;
    const req = ctx.switchToHttp().getRequest<Request & AuthenticatedRequest>();
    const scope = this.reflector.getAllAndOverride<ApiKeyScope | undefined>(API_KEY_SCOPE, [ctx.getHandler(), ctx.getClass()]);
    const apiKey = req.header('x-api-key');
    req.principal = apiKey !== undefined ? await this.apiKeyCaller(req, ctx.switchToHttp().getResponse<Response>(), apiKey, scope) : await this.personCaller(req);
    return true;
  }

  private async personCaller(req: Request): Promise<CallerPrincipal> {
    const bearer = /^Bearer\s+(\S+)$/i.exec(req.header('authorization') ?? '')?.[1];
    const cookie = (req.cookies as Record<string, string> | undefined)?.[SESSION_COOKIE];
    const token = bearer ?? cookie;
    if (!token) {
      throw new DomainError(ERROR_CODES.UNAUTHENTICATED, 'Sign in first: send Authorization: Bearer <accessToken> (or the session cookie of the web UI)');
    }
    const claims = await this.tokens.verifyAccessToken(token);
    if (!bearer && !SAFE_METHODS.has(req.method) && !this.tokens.verificationKeys.some((key) => csrfTokenMatches(claims.sessionId, req.header(CSRF_HEADER), key))) {
      throw new DomainError(ERROR_CODES.FORBIDDEN, 'Missing or wrong X-CSRF-Token: send the am_csrf cookie’s value with every change made with the session cookie', 'X-CSRF-Token');
    }
    // The signature says which session; the directory says whether it is still live (sign-out) and
    // whose it is. Who the caller is, and their platform role, come from the session, not the token.
    // A forged, altered or expired token never gets here: it costs the directory nothing.
    const principal = await this.sessions.principalOf(claims.sessionId);
    if (principal.userId !== claims.userId) {
      throw new DomainError(ERROR_CODES.UNAUTHENTICATED, 'The session token does not belong to its session; sign in again');
    }
    return { ...principal, sessionId: claims.sessionId, via: bearer ? 'bearer' : 'cookie' };
  }

  private async apiKeyCaller(req: Request, res: Response, key: string, scope: ApiKeyScope | undefined): Promise<CallerPrincipal> {
    const onBehalfOf = req.header('x-on-behalf-of');
    if (scope === 'requests:submit' && !onBehalfOf) {
      throw new DomainError(ERROR_CODES.VALIDATION_FAILED, 'X-On-Behalf-Of is required: name the user (id or login id) this request is submitted for', 'X-On-Behalf-Of');
    }
    const verified = await call<VerifiedApiKey>(this.directory, DIRECTORY_PATTERNS.verifyApiKey, { key, onBehalfOf });
    if (!scope) throw new DomainError(ERROR_CODES.FORBIDDEN, 'This endpoint is for people signed in, not for API keys');
    if (!verified.scopes.includes(scope)) throw new DomainError(ERROR_CODES.FORBIDDEN, `This API key lacks the scope ${scope}`);
    const limit = { name: 'api-key', points: verified.rateLimitPerMinute, windowSeconds: 60 };
    res.setHeader('X-RateLimit-Limit', verified.rateLimitPerMinute);
    const { remaining } = await this.limits.consume(res, limit, verified.keyId, (s) => {
      res.setHeader('X-RateLimit-Remaining', 0);
      return `This API key made more than ${verified.rateLimitPerMinute} calls in a minute; retry after ${s} s`;
    });
    res.setHeader('X-RateLimit-Remaining', remaining);
    return { ...verified.actingAs, sessionId: null, via: 'api-key', apiKey: { id: verified.keyId, name: verified.name, scopes: verified.scopes } };
  }
}
