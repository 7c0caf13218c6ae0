import { Inject, Injectable } from '@nestjs/common';
import { ScheduleOverlapPolicy } from '@temporalio/client';
import { EMAIL_DIGEST_WORKFLOW, emailDigestScheduleId, taskQueue, type EmailDigestWorkflowInput } from '@am/workflow-contracts';
import { ACCESS_WORKFLOWS_CONFIG, activityTaskQueues, type AccessWorkflowsConfig } from '../config/access-workflows.config';
import { ConfiguredSchedule, type ScheduleDefinition } from '../temporal/configured-schedule';
import { TemporalClientProvider } from '../temporal/temporal-client.provider';

/**
 * The daily email digest (issue 19) as a Temporal Schedule: a run every DIGEST_RUN_EVERY sends the
 * digests that are due by then, so a user's digest goes out within that long of their hour (15
 * minutes by default: half-hour zones too). One run at a time (SKIP): a run held up by a mail
 * outage is followed by the next once it ends.
 */
@Injectable()
export class EmailDigestSchedule extends ConfiguredSchedule {
  constructor(
    @Inject(ACCESS_WORKFLOWS_CONFIG) private readonly config: AccessWorkflowsConfig,
    temporal: TemporalClientProvider,
  ) {
    super(temporal);
  }

  get scheduleId(): string {
    return emailDigestScheduleId(this.config.TASK_QUEUE_PREFIX);
  }

  protected enabled(): boolean {
    return this.config.DIGEST_RUN_EVERY !== 'off';
  }

  protected definition(): ScheduleDefinition {
    const every = this.config.DIGEST_RUN_EVERY;
    if (every === 'off') throw new Error('the email digest schedule is off');
    const args: [EmailDigestWorkflowInput] = [{ taskQueues: activityTaskQueues(this.config) }];
    return {
      spec: { intervals: [{ every }] },
      action: {
        type: 'startWorkflow',
        workflowType: EMAIL_DIGEST_WORKFLOW,
        workflowId: `${this.scheduleId}-run`,
        taskQueue: taskQueue('accessWorkflows', this.config.TASK_QUEUE_PREFIX),
        args,
      },
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 hour' },
      purpose: 'The daily email digests (issue 19)',
      runs: `the daily digests due are sent every ${every / 60_000} minutes`,
    };
  }
}
