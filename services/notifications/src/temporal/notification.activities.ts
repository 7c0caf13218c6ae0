import { Injectable } from '@nestjs/common';
import type { NotificationActivities, NotificationInput } from '@am/workflow-contracts';
import { NotificationDeliveryService } from '../ledger/notification-delivery.service';

/**
 * The notifications service's Temporal activities. Every failure here is retryable: a mail server
 * that is down (or a render bug fixed by a deploy) delays the notice, it never loses it.
 */
@Injectable()
export class NotificationActivitiesProvider {
  constructor(private readonly delivery: NotificationDeliveryService) {}

  activities(): NotificationActivities {
    return {
      sendNotification: (input: NotificationInput) => this.delivery.deliver(input),
    };
  }
}
