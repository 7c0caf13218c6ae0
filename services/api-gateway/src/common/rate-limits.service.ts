import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import type { Response } from 'express';
import { Redis } from 'ioredis';
import { Pool } from 'pg';
import { RateLimiterPostgres, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { DomainError, ERROR_CODES } from '@am/contracts';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config/gateway.config';

/** One limit: how many calls per window, counted under a name of its own. */
export interface Limit {
  name: string;
  points: number;
  windowSeconds: number;
}

/**
 * Rate limits counted where every gateway instance sees the same counts (issue 14), through
 * rate-limiter-flexible: Redis when REDIS_URL is set, else PostgreSQL (the table rate_limits that
 * the directory's migrations create). Past a limit: 429 THROTTLED with Retry-After.
 */
@Injectable()
export class RateLimits implements OnApplicationShutdown {
  private readonly logger = new Logger(RateLimits.name);
  private readonly limiters = new Map<string, RateLimiterAbstract>();
  private readonly redis?: Redis;
  private readonly pool?: Pool;

  /** The PostgreSQL pool connects on its first query; Redis at once. */
  constructor(@Inject(GATEWAY_CONFIG) config: GatewayConfig) {
    if (config.REDIS_URL) {
      this.redis = new Redis(config.REDIS_URL, { maxRetriesPerRequest: 2, lazyConnect: false });
      this.redis.on('error', (err: Error) => this.logger.warn(`Redis: ${err.message}`));
    } else {
      this.pool = new Pool({ connectionString: config.DATABASE_URL, max: 4, idleTimeoutMillis: 30_000 });
      this.pool.on('error', (err) => this.logger.warn(`PostgreSQL: ${err.message}`));
    }
  }

  /**
   * Counts one call under `key`; past the limit answers 429 with Retry-After. `message` says what
   * was limited, for the caller. Returns what is left, for X-RateLimit headers.
   */
  async consume(res: Response, limit: Limit, key: string, message: (retryAfterSeconds: number) => string): Promise<{ remaining: number }> {
    try {
      const r = await this.limiter(limit).consume(key);
      return { remaining: r.remainingPoints };
    } catch (rejected) {
      if (!(rejected instanceof RateLimiterRes)) throw rejected;
      const retryAfter = Math.max(1, Math.ceil(rejected.msBeforeNext / 1000));
      res.setHeader('Retry-After', retryAfter);
      throw new DomainError(ERROR_CODES.THROTTLED, message(retryAfter), undefined, { retryAfterSeconds: retryAfter });
    }
  }

  private limiter(limit: Limit): RateLimiterAbstract {
    const id = `${limit.name}:${limit.points}:${limit.windowSeconds}`;
    let limiter = this.limiters.get(id);
    if (!limiter) {
      limiter = this.createLimiter({ keyPrefix: limit.name, points: limit.points, duration: limit.windowSeconds });
      this.limiters.set(id, limiter);
    }
    return limiter;
  }

  /** The shared store's limiter; unit tests put an in-memory one here. */
  protected createLimiter(opts: { keyPrefix: string; points: number; duration: number }): RateLimiterAbstract {
    return this.redis
      ? new RateLimiterRedis({ ...opts, storeClient: this.redis })
      : new RateLimiterPostgres({ ...opts, storeClient: this.pool, tableName: 'rate_limits', tableCreated: true, clearExpiredByTimeout: true });
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all([this.pool?.end(), this.redis?.quit().catch(() => undefined)]);
  }
}
