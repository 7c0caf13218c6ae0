import { Module, type DynamicModule } from '@nestjs/common';
import { AccountEmailWorkflows } from './account-emails/account-email-workflows';
import { AccountEmailsController } from './account-emails/account-emails.controller';
import { AccountEmailsService } from './account-emails/account-emails.service';
import { NOTIFICATIONS_CONFIG, type NotificationsConfig } from './config/notifications.config';
import { Mailer } from './email/mailer';
import { HealthController } from './health/health.controller';
import { EmailLedgerRepository } from './ledger/email-ledger.repository';
import { NotificationDeliveryService } from './ledger/notification-delivery.service';
import { NoticesController } from './notices/notices.controller';
import { NoticesRepository } from './notices/notices.repository';
import { NoticesService } from './notices/notices.service';
import { PrismaService } from './prisma/prisma.service';
import { NotificationActivitiesProvider } from './temporal/notification.activities';
import { NotificationsWorker } from './temporal/notifications-worker';

@Module({})
export class AppModule {
  static forConfig(config: NotificationsConfig): DynamicModule {
    return {
      module: AppModule,
      controllers: [HealthController, NoticesController, AccountEmailsController],
      providers: [
        { provide: NOTIFICATIONS_CONFIG, useValue: config },
        PrismaService,
        EmailLedgerRepository,
        NoticesRepository,
        NoticesService,
        Mailer,
        NotificationDeliveryService,
        NotificationActivitiesProvider,
        AccountEmailWorkflows,
        AccountEmailsService,
        NotificationsWorker,
      ],
    };
  }
}
