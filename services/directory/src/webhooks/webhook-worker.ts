import { Inject, Injectable } from '@nestjs/common';
import { TemporalWorkerHost } from '@am/service-kit';
import { taskQueue } from '@am/workflow-contracts';
import { DIRECTORY_CONFIG, type DirectoryConfig } from '../config/directory.config';
import { WebhookDeliveryActivities } from './webhook-delivery.activities';

/**
 * Runs webhook delivery attempts (issue 20) on a task queue and worker of their own, with
 * WEBHOOK_DELIVERY_CONCURRENCY slots: an endpoint that takes its full timeout holds one of these,
 * never a slot of the directory's own activities (decisions, submissions).
 */
@Injectable()
export class WebhookWorker extends TemporalWorkerHost {
  constructor(
    @Inject(DIRECTORY_CONFIG) private readonly config: DirectoryConfig,
    private readonly deliveries: WebhookDeliveryActivities,
  ) {
    super();
  }

  protected connectionOptions() {
    return this.config;
  }

  protected workerOptions() {
    return {
      taskQueue: taskQueue('webhooks', this.config.TASK_QUEUE_PREFIX),
      activities: this.deliveries.activities(),
      maxConcurrentActivityTaskExecutions: this.config.WEBHOOK_DELIVERY_CONCURRENCY,
    };
  }
}
