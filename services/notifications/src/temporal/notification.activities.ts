import { Injectable } from '@nestjs/common';
import { domainFailure, type NotificationActivities, type NotificationInput } from '@am/workflow-contracts';
import { EmailNotRecordedError, NotificationDeliveryService } from '../ledger/notification-delivery.service';

/**
 * The notifications service's Temporal activities. Every failure here is retryable: a mail server
 * that is down (or a render bug fixed by a deploy) delays the notice, it never loses it. The one
 * exception is an account email that was never recorded, which no retry can send.
 */
@Injectable()
export class NotificationActivitiesProvider {
  constructor(private readonly delivery: NotificationDeliveryService) {}

  activities(): NotificationActivities {
    return {
      sendNotification: (input: NotificationInput) => this.delivery.deliver(input),
      // Each notice exactly once, all of them in two ledger statements: one that fails (the mail
      // server refused it) does not hold back the others, and the retry of the activity finds
      // those already sent in the ledger.
      sendNotifications: (inputs: NotificationInput[]) => this.delivery.deliverAll(inputs),
      sendRecordedEmail: async ({ idempotencyKey }) => {
        try {
          return await this.delivery.sendRecorded(idempotencyKey);
        } catch (err) {
          if (err instanceof EmailNotRecordedError) throw domainFailure(err);
          throw err;
        }
      },
    };
  }
}
