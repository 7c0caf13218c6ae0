import { Inject, Injectable } from '@nestjs/common';
import { Context } from '@temporalio/activity';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { ACCESS_REVIEW_WORKFLOW, accessReviewWorkflowId, taskQueue, type AccessReviewWorkflowInput, type AccessWorkflowsActivities } from '@am/workflow-contracts';
import { ACCESS_WORKFLOWS_CONFIG, activityTaskQueues, type AccessWorkflowsConfig } from '../config/access-workflows.config';
import { mapWithConcurrency } from '../temporal/concurrency';
import { TemporalClientProvider } from '../temporal/temporal-client.provider';
import { SEARCH_ATTRIBUTE_KEYS } from '../workflows/search-attributes';

/**
 * The activity a campaign's workflow calls to open its reviews' workflows, a page at a time: it
 * holds the Temporal client, starts ACCESS_REVIEW_START_CONCURRENCY at once, leaves those started
 * already (a retried page) as they are, and heartbeats as it goes.
 */
@Injectable()
export class AccessReviewActivities {
  constructor(
    @Inject(ACCESS_WORKFLOWS_CONFIG) private readonly config: AccessWorkflowsConfig,
    private readonly temporal: TemporalClientProvider,
  ) {}

  activities(): AccessWorkflowsActivities {
    return {
      startAccessReviewWorkflows: async ({ campaignId, reviews, timings }) => {
        const queue = taskQueue('accessWorkflows', this.config.TASK_QUEUE_PREFIX);
        let started = 0;
        let done = 0;
        await mapWithConcurrency(reviews, this.config.ACCESS_REVIEW_START_CONCURRENCY, async (r) => {
          const input: AccessReviewWorkflowInput = { reviewId: r.reviewId, campaignId, organizationId: r.organizationId, dueAt: r.dueAt, timings, taskQueues: activityTaskQueues(this.config) };
          try {
            await this.temporal.client.workflow.start(ACCESS_REVIEW_WORKFLOW, {
              workflowId: accessReviewWorkflowId(r.reviewId),
              taskQueue: queue,
              args: [input],
              workflowIdReusePolicy: 'REJECT_DUPLICATE',
              typedSearchAttributes: [{ key: SEARCH_ATTRIBUTE_KEYS.organizationId, value: r.organizationId }],
            });
            started++;
          } catch (err) {
            if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
          }
          Context.current().heartbeat(++done);
        });
        return { started };
      },
    };
  }
}
