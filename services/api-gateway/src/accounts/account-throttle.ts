import { Inject, Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { clientAddress } from '../auth/auth-rate-limit.guard';
import { RateLimits } from '../common/rate-limits.service';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config/gateway.config';

/**
 * Rate limits of the public account routes (issue 10), counted where every gateway instance sees
 * them (issue 14): per client address, and for "forgot user id / password" per email address or
 * user id asked about, counted alike whether or not an account has it. Past a limit: 429 with
 * Retry-After.
 */
@Injectable()
export class AccountThrottle {
  constructor(
    private readonly limits: RateLimits,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {}

  async check(req: Request, res: Response, route: string, account?: string): Promise<void> {
    const windowSeconds = this.config.ACCOUNT_RATE_WINDOW_SECONDS;
    await this.limits.consume(res, { name: 'accounts-client', points: this.config.ACCOUNT_RATE_LIMIT_PER_CLIENT, windowSeconds }, clientAddress(req), (s) => `Too many requests from this address: retry after ${s} s`);
    if (account !== undefined) {
      const what = route === 'forgot-user-id' ? 'email address' : 'user id';
      await this.limits.consume(
        res,
        { name: `accounts-${route}`, points: this.config.ACCOUNT_RATE_LIMIT_PER_ACCOUNT, windowSeconds },
        account.trim().toLowerCase(),
        (s) => `Too many requests for this ${what}: retry after ${s} s`,
      );
    }
  }
}

/** Waits until `ms` after `startedAt`: the answer then takes as long whatever was (or was not) found. */
export async function noSoonerThan(startedAt: number, ms: number): Promise<void> {
  const wait = startedAt + ms - Date.now();
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
}
