import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '../generated/prisma/client';
import { NOTIFICATIONS_CONFIG, type NotificationsConfig } from '../config/notifications.config';

/** The one PrismaClient of the service, its queries qualified with the service's own schema; only repositories use it. */
@Injectable()
export class PrismaService extends PrismaClient implements OnApplicationShutdown {
  constructor(@Inject(NOTIFICATIONS_CONFIG) config: NotificationsConfig) {
    super({ adapter: new PrismaPg({ connectionString: config.DATABASE_URL, max: config.DATABASE_POOL_MAX }, { schema: config.DATABASE_SCHEMA }) });
  }

  // After the worker has drained (beforeApplicationShutdown): in-flight activities keep the pool.
  async onApplicationShutdown(): Promise<void> {
    await this.$disconnect();
  }
}
