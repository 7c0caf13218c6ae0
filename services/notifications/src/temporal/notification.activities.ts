import { Inject, Injectable } from '@nestjs/common';
import type { NotificationActivities, NotificationInput } from '@am/workflow-contracts';
import { NOTIFICATIONS_CONFIG, type NotificationsConfig } from '../config/notifications.config';
import { Mailer } from '../email/mailer';
import { renderNotification } from '../email/templates';

/** The notifications service's Temporal activities: render a template, send it over SMTP. */
@Injectable()
export class NotificationActivitiesProvider {
  constructor(
    @Inject(NOTIFICATIONS_CONFIG) private readonly config: NotificationsConfig,
    private readonly mailer: Mailer,
  ) {}

  activities(): NotificationActivities {
    return {
      sendNotification: async (input: NotificationInput) => {
        const email = renderNotification(input, {
          publicBaseUrl: this.config.PUBLIC_BASE_URL,
          support: { phone: this.config.SUPPORT_PHONE, email: this.config.SUPPORT_EMAIL, hours: this.config.SUPPORT_HOURS },
        });
        const messageId = await this.mailer.send(input.to, email, input.idempotencyKey);
        return { messageId, duplicate: false };
      },
    };
  }
}
