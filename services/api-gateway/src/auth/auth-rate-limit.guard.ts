import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { Request, Response } from 'express';
import { RateLimits } from '../common/rate-limits.service';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config/gateway.config';

/**
 * Sign-in, the code step and two-factor enrollment, per client address (issue 14): past
 * AUTH_RATE_LIMIT_PER_CLIENT attempts in AUTH_RATE_WINDOW_SECONDS, 429 with Retry-After, whatever
 * the user id. Counted before the body is read, so malformed attempts count too. The per-account
 * lockout (the directory's) is the other half: it holds however many clients a guesser uses.
 */
@Injectable()
export class AuthRateLimitGuard implements CanActivate {
  constructor(
    private readonly limits: RateLimits,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const req = ctx.switchToHttp().getRequest<Request>();
    const limit = { name: 'auth-client', points: this.config.AUTH_RATE_LIMIT_PER_CLIENT, windowSeconds: this.config.AUTH_RATE_WINDOW_SECONDS };
    await this.limits.consume(ctx.switchToHttp().getResponse<Response>(), limit, clientAddress(req), (s) => `Too many sign-in attempts from this address: retry after ${s} s`);
    return true;
  }
}

/** The client's address as the rate limits count it (behind TRUST_PROXY_HOPS proxies, the one they report). */
export function clientAddress(req: Request): string {
  return (req.ip ?? req.socket.remoteAddress ?? 'unknown').replace(/^::ffff:/, '');
}
