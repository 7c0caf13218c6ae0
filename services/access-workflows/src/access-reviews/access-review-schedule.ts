import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { MONTHS, ScheduleAlreadyRunning, ScheduleOverlapPolicy, type ScheduleOptionsAction, type ScheduleSpec } from '@temporalio/client';
import { ACCESS_REVIEW_CAMPAIGN_WORKFLOW, accessReviewScheduleId, taskQueue, type AccessReviewCampaignInput } from '@am/workflow-contracts';
import { ACCESS_WORKFLOWS_CONFIG, accessReviewTimings, activityTaskQueues, type AccessWorkflowsConfig } from '../config/access-workflows.config';
import { TemporalClientProvider } from '../temporal/temporal-client.provider';

const RETRY_MS = 30_000;

/**
 * The yearly access review campaign (issue 18) as a Temporal Schedule, visible in Temporal's UI:
 * created when the service starts, or updated to the configuration when it exists. Temporal
 * unreachable at start delays it (retried every 30 s); it never stops the service.
 */
@Injectable()
export class AccessReviewSchedule implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger(AccessReviewSchedule.name);
  private timer?: NodeJS.Timeout;

  constructor(
    @Inject(ACCESS_WORKFLOWS_CONFIG) private readonly config: AccessWorkflowsConfig,
    private readonly temporal: TemporalClientProvider,
  ) {}

  get scheduleId(): string {
    return accessReviewScheduleId(this.config.TASK_QUEUE_PREFIX);
  }

  onApplicationBootstrap(): void {
    if (this.config.ACCESS_REVIEW_YEARLY_ON === 'off') return;
    void this.ensure();
  }

  onApplicationShutdown(): void {
    clearTimeout(this.timer);
  }

  private async ensure(): Promise<void> {
    try {
      await this.upsert();
      this.log.log(`Schedule ${this.scheduleId}: a campaign every year on ${this.config.ACCESS_REVIEW_YEARLY_ON} (05:00 UTC)`);
    } catch (err) {
      this.log.warn(`Schedule ${this.scheduleId} not set yet (${err instanceof Error ? err.message : String(err)}); retrying in ${RETRY_MS / 1000} s`);
      this.timer = setTimeout(() => void this.ensure(), RETRY_MS);
    }
  }

  private async upsert(): Promise<void> {
    const [month, day] = this.config.ACCESS_REVIEW_YEARLY_ON.split('-').map(Number) as [number, number];
    const spec: ScheduleSpec = { calendars: [{ month: MONTHS[month - 1]!, dayOfMonth: day, hour: 5, minute: 0 }] };
    const args: [AccessReviewCampaignInput] = [
      {
        dueAfterMs: this.config.ACCESS_REVIEW_DUE_AFTER,
        timings: accessReviewTimings(this.config),
        taskQueues: { ...activityTaskQueues(this.config), accessWorkflows: taskQueue('accessWorkflows', this.config.TASK_QUEUE_PREFIX) },
      },
    ];
    const action: ScheduleOptionsAction = {
      type: 'startWorkflow',
      workflowType: ACCESS_REVIEW_CAMPAIGN_WORKFLOW,
      workflowId: `${this.scheduleId}-run`,
      taskQueue: taskQueue('accessWorkflows', this.config.TASK_QUEUE_PREFIX),
      args,
    };
    const client = this.temporal.client.schedule;
    try {
      await client.create({ scheduleId: this.scheduleId, spec, action, policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 day' }, memo: { purpose: 'The yearly access review campaign (issue 18)' } });
    } catch (err) {
      if (!(err instanceof ScheduleAlreadyRunning)) throw err;
      await client.getHandle(this.scheduleId).update((prev) => ({ ...prev, spec, action }));
    }
  }
}
