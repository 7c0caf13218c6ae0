import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { DIRECTORY_PATTERNS } from '@am/contracts';
import { directoryPayloads, parsePayload } from '@am/service-kit';
import { IdempotencyService } from './idempotency.service';

@Controller()
export class IdempotencyController {
  constructor(private readonly idempotency: IdempotencyService) {}

  @MessagePattern(DIRECTORY_PATTERNS.idempotencyBegin)
  begin(@Payload() payload: unknown) {
    return this.idempotency.begin(parsePayload(directoryPayloads.idempotencyBegin, payload));
  }

  @MessagePattern(DIRECTORY_PATTERNS.idempotencyFinish)
  async finish(@Payload() payload: unknown) {
    await this.idempotency.finish(parsePayload(directoryPayloads.idempotencyFinish, payload));
    return { ok: true };
  }

  @MessagePattern(DIRECTORY_PATTERNS.idempotencyAbandon)
  async abandon(@Payload() payload: unknown) {
    await this.idempotency.abandon(parsePayload(directoryPayloads.idempotencyAbandon, payload));
    return { ok: true };
  }
}
