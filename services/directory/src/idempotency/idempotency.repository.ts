import { Injectable } from '@nestjs/common';
import type { IdempotencyBeginRequest, IdempotencyFinishRequest, IdempotencyRef } from '@am/contracts';
import type { Prisma } from '../generated/prisma/client';
import { PrismaService } from '../prisma/prisma.service';

@Injectable()
export class IdempotencyRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** Claims the key; false when another request holds or held it (the primary key decides races). */
  async claim(req: IdempotencyBeginRequest): Promise<boolean> {
    const rows = await this.prisma.$queryRaw<{ key: string }[]>`
      INSERT INTO idempotency_keys (principal, key, method, path, request_hash)
      VALUES (${req.principal}, ${req.key}, ${req.method}, ${req.path}, ${req.requestHash})
      ON CONFLICT (principal, key) DO NOTHING
      RETURNING key`;
    return rows.length === 1;
  }

  /**
   * Takes over an unfinished claim made before `lapsedBefore` (its attempt was cut off); false when
   * it is newer, finished, or another retry took it first (the row's lock decides races).
   */
  async takeOver(req: IdempotencyBeginRequest, lapsedBefore: Date): Promise<boolean> {
    const taken = await this.prisma.idempotencyKey.updateMany({
      where: { principal: req.principal, key: req.key, completedAt: null, createdAt: { lt: lapsedBefore } },
      data: { createdAt: new Date() },
    });
    return taken.count === 1;
  }

  find(ref: IdempotencyRef) {
    return this.prisma.idempotencyKey.findUnique({ where: { principal_key: { principal: ref.principal, key: ref.key } } });
  }

  finish(req: IdempotencyFinishRequest) {
    return this.prisma.idempotencyKey.updateMany({
      where: { principal: req.principal, key: req.key, completedAt: null },
      data: { statusCode: req.statusCode, response: (req.response ?? null) as Prisma.InputJsonValue, completedAt: new Date() },
    });
  }

  /** Forgets an unfinished claim (the request failed for a reason a retry may not meet). */
  abandon(ref: IdempotencyRef) {
    return this.prisma.idempotencyKey.deleteMany({ where: { principal: ref.principal, key: ref.key, completedAt: null } });
  }

  /** Forgets a key once it is older than the retention period, so it can be used again. */
  expire(ref: IdempotencyRef, before: Date) {
    return this.prisma.idempotencyKey.deleteMany({ where: { principal: ref.principal, key: ref.key, createdAt: { lt: before } } });
  }
}
