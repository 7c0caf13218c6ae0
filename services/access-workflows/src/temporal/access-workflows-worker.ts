import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Inject, Injectable } from '@nestjs/common';
import { TemporalWorkerHost } from '@am/service-kit';
import { taskQueue } from '@am/workflow-contracts';
import { AccessReviewActivities } from '../access-reviews/access-review.activities';
import { ACCESS_WORKFLOWS_CONFIG, type AccessWorkflowsConfig } from '../config/access-workflows.config';

/** Runs the workflows from the bundle the build step wrote, and the activity that opens a campaign's reviews. */
@Injectable()
export class AccessWorkflowsWorker extends TemporalWorkerHost {
  constructor(
    @Inject(ACCESS_WORKFLOWS_CONFIG) private readonly config: AccessWorkflowsConfig,
    private readonly reviews: AccessReviewActivities,
  ) {
    super();
  }

  protected connectionOptions() {
    return this.config;
  }

  protected workerOptions() {
    const codePath = join(__dirname, '..', 'workflow-bundle.js');
    if (!existsSync(codePath)) throw new Error(`No workflow bundle at ${codePath}: run the build first`);
    return {
      taskQueue: taskQueue('accessWorkflows', this.config.TASK_QUEUE_PREFIX),
      workflowBundle: { codePath },
      // The one activity served here: an access review campaign opens its reviews' workflows (issue 18).
      activities: this.reviews.activities(),
      maxCachedWorkflows: this.config.WORKFLOW_CACHE_SIZE,
    };
  }
}
