import { Injectable } from '@nestjs/common';
import type { Prisma } from '../generated/prisma/client';
import { PrismaService, type Tx } from '../prisma/prisma.service';

const withCreator = { createdBy: { select: { id: true, displayName: true, platformRole: true, disabledAt: true } } } as const;
export type ApiKeyRow = Prisma.ApiKeyGetPayload<{ include: typeof withCreator }>;

@Injectable()
export class ApiKeysRepository {
  constructor(private readonly prisma: PrismaService) {}

  inTransaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    return this.prisma.$transaction(fn);
  }

  create(data: { name: string; prefix: string; secretHash: string; scopes: string[]; rateLimitPerMinute: number; createdById: string }, tx: Tx): Promise<ApiKeyRow> {
    return tx.apiKey.create({ data, include: withCreator });
  }

  list(): Promise<ApiKeyRow[]> {
    return this.prisma.apiKey.findMany({ include: withCreator, orderBy: { createdAt: 'desc' } });
  }

  findById(id: string): Promise<ApiKeyRow | null> {
    return this.prisma.apiKey.findUnique({ where: { id }, include: withCreator });
  }

  findByPrefix(prefix: string): Promise<ApiKeyRow | null> {
    return this.prisma.apiKey.findUnique({ where: { prefix }, include: withCreator });
  }

  /** Revokes once: the first revocation's time stays. */
  async revoke(id: string, tx: Tx): Promise<boolean> {
    const { count } = await tx.apiKey.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: new Date() } });
    return count === 1;
  }

  async touch(id: string): Promise<void> {
    await this.prisma.apiKey.update({ where: { id }, data: { lastUsedAt: new Date() } });
  }

  findUser(idOrLoginId: string) {
    const isUuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(idOrLoginId);
    return this.prisma.user.findUnique({ where: isUuid ? { id: idOrLoginId } : { loginId: idOrLoginId } });
  }
}
