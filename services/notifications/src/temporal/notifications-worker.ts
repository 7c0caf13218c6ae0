import { Inject, Injectable } from '@nestjs/common';
import { TemporalWorkerHost } from '@am/service-kit';
import { taskQueue } from '@am/workflow-contracts';
import { NOTIFICATIONS_CONFIG, type NotificationsConfig } from '../config/notifications.config';
import { NotificationActivitiesProvider } from './notification.activities';

/** Runs the notification activities on the notifications task queue. */
@Injectable()
export class NotificationsWorker extends TemporalWorkerHost {
  constructor(
    @Inject(NOTIFICATIONS_CONFIG) private readonly config: NotificationsConfig,
    private readonly provider: NotificationActivitiesProvider,
  ) {
    super();
  }

  protected connectionOptions() {
    return this.config;
  }

  protected workerOptions() {
    return { taskQueue: taskQueue('notifications', this.config.TASK_QUEUE_PREFIX), activities: this.provider.activities() };
  }
}
