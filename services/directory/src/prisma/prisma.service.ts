import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '../generated/prisma/client';
import { DIRECTORY_CONFIG, type DirectoryConfig } from '../config/directory.config';

/** The one PrismaClient of the service; only repositories use it. */
@Injectable()
export class PrismaService extends PrismaClient implements OnApplicationShutdown {
  constructor(@Inject(DIRECTORY_CONFIG) config: Pick<DirectoryConfig, 'DATABASE_URL' | 'DATABASE_POOL_MAX' | 'DATABASE_TX_MAX_WAIT_MS'>) {
    super({
      adapter: new PrismaPg({ connectionString: config.DATABASE_URL, max: config.DATABASE_POOL_MAX }),
      // Under a burst (many sign-ins and decisions at once) a transaction may wait its turn for a
      // pooled connection longer than Prisma's 2 s default: wait, rather than fail the caller.
      transactionOptions: { maxWait: config.DATABASE_TX_MAX_WAIT_MS, timeout: 15_000 },
    });
  }

  // After the worker has drained (beforeApplicationShutdown): in-flight activities keep the pool.
  async onApplicationShutdown(): Promise<void> {
    await this.$disconnect();
  }
}

/** A transaction client, handed to repositories so several writes commit together. */
export type Tx = Parameters<Parameters<PrismaClient['$transaction']>[0]>[0];
