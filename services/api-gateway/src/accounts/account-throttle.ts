import { Inject, Injectable } from '@nestjs/common';
import { ThrottlerStorageService } from '@nestjs/throttler';
import type { Request, Response } from 'express';
import { DomainError, ERROR_CODES } from '@am/contracts';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config/gateway.config';

/**
 * Rate limits of the public account routes (issue 10), on the throttler storage the API keys use
 * (in memory, per gateway instance): per client address, and for "forgot user id / password" per
 * email address or user id asked about, counted alike whether or not an account has it. Past a
 * limit: 429 with Retry-After.
 */
@Injectable()
export class AccountThrottle {
  constructor(
    private readonly storage: ThrottlerStorageService,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {}

  async check(req: Request, res: Response, route: string, account?: string): Promise<void> {
    await this.hit(res, `accounts:client:${req.ip ?? 'unknown'}`, this.config.ACCOUNT_RATE_LIMIT_PER_CLIENT, 'from this address');
    if (account !== undefined) {
      await this.hit(res, `accounts:${route}:${account.trim().toLowerCase()}`, this.config.ACCOUNT_RATE_LIMIT_PER_ACCOUNT, `for this ${route === 'forgot-user-id' ? 'email address' : 'user id'}`);
    }
  }

  private async hit(res: Response, key: string, limit: number, what: string): Promise<void> {
    const windowMs = this.config.ACCOUNT_RATE_WINDOW_SECONDS * 1000;
    const { isBlocked, timeToBlockExpire } = await this.storage.increment(key, windowMs, limit, windowMs, 'accounts');
    if (!isBlocked) return;
    const retryAfter = Math.max(1, timeToBlockExpire);
    res.setHeader('Retry-After', retryAfter);
    throw new DomainError(ERROR_CODES.THROTTLED, `Too many requests ${what}: retry after ${retryAfter} s`, undefined, { retryAfterSeconds: retryAfter });
  }
}

/** Waits until `ms` after `startedAt`: the answer then takes as long whatever was (or was not) found. */
export async function noSoonerThan(startedAt: number, ms: number): Promise<void> {
  const wait = startedAt + ms - Date.now();
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
}
