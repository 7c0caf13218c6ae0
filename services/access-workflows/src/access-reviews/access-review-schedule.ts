import { Inject, Injectable } from '@nestjs/common';
import { MONTHS, ScheduleOverlapPolicy } from '@temporalio/client';
import { ACCESS_REVIEW_CAMPAIGN_WORKFLOW, accessReviewScheduleId, taskQueue, type AccessReviewCampaignInput } from '@am/workflow-contracts';
import { ACCESS_WORKFLOWS_CONFIG, accessReviewTimings, activityTaskQueues, type AccessWorkflowsConfig } from '../config/access-workflows.config';
import { ConfiguredSchedule, type ScheduleDefinition } from '../temporal/configured-schedule';
import { TemporalClientProvider } from '../temporal/temporal-client.provider';

/** The yearly access review campaign (issue 18) as a Temporal Schedule, on ACCESS_REVIEW_YEARLY_ON at 05:00 UTC. */
@Injectable()
export class AccessReviewSchedule extends ConfiguredSchedule {
  constructor(
    @Inject(ACCESS_WORKFLOWS_CONFIG) private readonly config: AccessWorkflowsConfig,
    temporal: TemporalClientProvider,
  ) {
    super(temporal);
  }

  get scheduleId(): string {
    return accessReviewScheduleId(this.config.TASK_QUEUE_PREFIX);
  }

  protected enabled(): boolean {
    return this.config.ACCESS_REVIEW_YEARLY_ON !== 'off';
  }

  protected definition(): ScheduleDefinition {
    const [month, day] = this.config.ACCESS_REVIEW_YEARLY_ON.split('-').map(Number) as [number, number];
    const args: [AccessReviewCampaignInput] = [
      {
        dueAfterMs: this.config.ACCESS_REVIEW_DUE_AFTER,
        timings: accessReviewTimings(this.config),
        taskQueues: { ...activityTaskQueues(this.config), accessWorkflows: taskQueue('accessWorkflows', this.config.TASK_QUEUE_PREFIX) },
      },
    ];
    return {
      spec: { calendars: [{ month: MONTHS[month - 1]!, dayOfMonth: day, hour: 5, minute: 0 }] },
      action: {
        type: 'startWorkflow',
        workflowType: ACCESS_REVIEW_CAMPAIGN_WORKFLOW,
        workflowId: `${this.scheduleId}-run`,
        taskQueue: taskQueue('accessWorkflows', this.config.TASK_QUEUE_PREFIX),
        args,
      },
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 day' },
      purpose: 'The yearly access review campaign (issue 18)',
      runs: `a campaign every year on ${this.config.ACCESS_REVIEW_YEARLY_ON} (05:00 UTC)`,
    };
  }
}
