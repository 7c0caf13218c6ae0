import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { DIRECTORY_PATTERNS, type IdempotencyBeginRequest, type IdempotencyFinishRequest, type IdempotencyRef } from '@am/contracts';
import { IdempotencyService } from './idempotency.service';

@Controller()
export class IdempotencyController {
  constructor(private readonly idempotency: IdempotencyService) {}

  @MessagePattern(DIRECTORY_PATTERNS.idempotencyBegin)
  begin(@Payload() req: IdempotencyBeginRequest) {
    return this.idempotency.begin(req);
  }

  @MessagePattern(DIRECTORY_PATTERNS.idempotencyFinish)
  async finish(@Payload() req: IdempotencyFinishRequest) {
    await this.idempotency.finish(req);
    return { ok: true };
  }

  @MessagePattern(DIRECTORY_PATTERNS.idempotencyAbandon)
  async abandon(@Payload() req: IdempotencyRef) {
    await this.idempotency.abandon(req);
    return { ok: true };
  }
}
