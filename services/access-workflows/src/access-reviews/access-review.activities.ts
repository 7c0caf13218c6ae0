import { Inject, Injectable } from '@nestjs/common';
import { Context } from '@temporalio/activity';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { ACCESS_REVIEW_WORKFLOW, accessReviewWorkflowId, taskQueue, type AccessReviewWorkflowInput, type AccessWorkflowsActivities } from '@am/workflow-contracts';
import { ACCESS_WORKFLOWS_CONFIG, activityTaskQueues, type AccessWorkflowsConfig } from '../config/access-workflows.config';
import { mapWithConcurrency } from '../temporal/concurrency';
import { TemporalClientProvider } from '../temporal/temporal-client.provider';
import { SEARCH_ATTRIBUTE_KEYS } from '../workflows/search-attributes';

/** Heartbeats at least this often while it waits for a start's turn. */
const HEARTBEAT_MS = 10_000;

/**
 * The activity a campaign's workflow calls to open its reviews' workflows, a page at a time: it
 * holds the Temporal client and starts them at ACCESS_REVIEW_OPEN_RATE a second (spread evenly,
 * at most ACCESS_REVIEW_START_CONCURRENCY in flight), heartbeating how many it has done: a retried
 * page resumes after those, and leaves any started already as they are.
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
        const ctx = Context.current();
        const resumeAfter = Number(ctx.info.heartbeatDetails ?? 0) || 0;
        const interval = 1000 / this.config.ACCESS_REVIEW_OPEN_RATE;
        const t0 = Date.now();
        let started = 0;
        let done = resumeAfter;
        await mapWithConcurrency(reviews.slice(resumeAfter), this.config.ACCESS_REVIEW_START_CONCURRENCY, async (r, i) => {
          // Each start has its slot; waiting for it, the activity heartbeats (and hears a cancellation).
          for (let wait = t0 + i * interval - Date.now(); wait > 0; wait = t0 + i * interval - Date.now()) {
            await ctx.sleep(Math.min(wait, HEARTBEAT_MS));
            ctx.heartbeat(done);
          }
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
          ctx.heartbeat(++done);
        });
        return { started };
      },
    };
  }
}
