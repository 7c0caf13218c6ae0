import { Inject, Injectable } from '@nestjs/common';
import {
  DomainError,
  ERROR_CODES,
  type IdempotencyBeginRequest,
  type IdempotencyBeginResult,
  type IdempotencyFinishRequest,
  type IdempotencyRef,
} from '@am/contracts';
import { DIRECTORY_CONFIG, type DirectoryConfig } from '../config/directory.config';
import { IdempotencyRepository } from './idempotency.repository';

/** Idempotency-Key records (PRODUCT.md section 5): the first result of a POST, for its retries. */
@Injectable()
export class IdempotencyService {
  constructor(
    @Inject(DIRECTORY_CONFIG) private readonly config: DirectoryConfig,
    private readonly repo: IdempotencyRepository,
  ) {}

  async begin(req: IdempotencyBeginRequest): Promise<IdempotencyBeginResult> {
    await this.repo.expire(req, new Date(Date.now() - this.config.IDEMPOTENCY_KEY_TTL_HOURS * 3_600_000));
    if (await this.repo.claim(req)) return { state: 'started' };
    const held = await this.repo.find(req);
    if (!held) return this.begin(req); // abandoned between our insert and read: claim again
    if (held.method !== req.method || held.path !== req.path || held.requestHash !== req.requestHash) {
      throw new DomainError(
        ERROR_CODES.IDEMPOTENCY_KEY_REUSED,
        'This Idempotency-Key was already used with a different request: use a new key for a new request',
        'Idempotency-Key',
      );
    }
    if (held.completedAt === null || held.statusCode === null) {
      const lapsed = new Date(Date.now() - this.config.IDEMPOTENCY_CLAIM_LEASE_SECONDS * 1000);
      return (await this.repo.takeOver(req, lapsed)) ? { state: 'started' } : { state: 'in-progress' };
    }
    return { state: 'completed', statusCode: held.statusCode, response: held.response };
  }

  async finish(req: IdempotencyFinishRequest): Promise<void> {
    await this.repo.finish(req);
  }

  async abandon(ref: IdempotencyRef): Promise<void> {
    await this.repo.abandon(ref);
  }
}
