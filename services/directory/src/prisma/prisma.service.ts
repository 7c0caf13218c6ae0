import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '../generated/prisma/client';
import { DIRECTORY_CONFIG, type DirectoryConfig } from '../config/directory.config';

/** The one PrismaClient of the service; only repositories use it. */
@Injectable()
export class PrismaService extends PrismaClient implements OnApplicationShutdown {
  constructor(@Inject(DIRECTORY_CONFIG) config: DirectoryConfig) {
    super({ adapter: new PrismaPg({ connectionString: config.DATABASE_URL, max: config.DATABASE_POOL_MAX }) });
  }

  // After the worker has drained (beforeApplicationShutdown): in-flight activities keep the pool.
  async onApplicationShutdown(): Promise<void> {
    await this.$disconnect();
  }
}

/** A transaction client, handed to repositories so several writes commit together. */
export type Tx = Parameters<Parameters<PrismaClient['$transaction']>[0]>[0];
