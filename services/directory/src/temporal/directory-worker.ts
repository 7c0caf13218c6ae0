import { Inject, Injectable } from '@nestjs/common';
import { TemporalWorkerHost } from '@am/service-kit';
import { taskQueue } from '@am/workflow-contracts';
import { DIRECTORY_CONFIG, type DirectoryConfig } from '../config/directory.config';
import { DirectoryActivitiesProvider } from './directory.activities';

/** Runs the directory's activities on the directory task queue. */
@Injectable()
export class DirectoryWorker extends TemporalWorkerHost {
  constructor(
    @Inject(DIRECTORY_CONFIG) private readonly config: DirectoryConfig,
    private readonly provider: DirectoryActivitiesProvider,
  ) {
    super();
  }

  protected connectionOptions() {
    return this.config;
  }

  protected workerOptions() {
    return {
      taskQueue: taskQueue('directory', this.config.TASK_QUEUE_PREFIX),
      activities: this.provider.activities(),
      maxConcurrentActivityTaskExecutions: this.config.DIRECTORY_ACTIVITY_CONCURRENCY,
    };
  }
}
