import { Module, type DynamicModule } from '@nestjs/common';
import { NOTIFICATIONS_CONFIG, type NotificationsConfig } from './config/notifications.config';
import { Mailer } from './email/mailer';
import { HealthController } from './health/health.controller';
import { NotificationActivitiesProvider } from './temporal/notification.activities';
import { NotificationsWorker } from './temporal/notifications-worker';

@Module({})
export class AppModule {
  static forConfig(config: NotificationsConfig): DynamicModule {
    return {
      module: AppModule,
      controllers: [HealthController],
      providers: [{ provide: NOTIFICATIONS_CONFIG, useValue: config }, Mailer, NotificationActivitiesProvider, NotificationsWorker],
    };
  }
}
