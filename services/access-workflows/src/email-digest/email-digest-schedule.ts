import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { ScheduleAlreadyRunning, ScheduleOverlapPolicy, type ScheduleOptionsAction, type ScheduleSpec } from '@temporalio/client';
import { EMAIL_DIGEST_WORKFLOW, emailDigestScheduleId, taskQueue, type EmailDigestWorkflowInput } from '@am/workflow-contracts';
import { ACCESS_WORKFLOWS_CONFIG, activityTaskQueues, type AccessWorkflowsConfig } from '../config/access-workflows.config';
import { TemporalClientProvider } from '../temporal/temporal-client.provider';

const RETRY_MS = 30_000;

/**
 * The daily email digest (issue 19) as a Temporal Schedule, visible (and triggerable) in
 * Temporal's UI: a run every DIGEST_RUN_EVERY sends the digests that are due by then, so a user's
 * digest goes out within that long of their hour (15 minutes by default: half-hour zones too).
 * Created when the service starts, or updated to the configuration; Temporal unreachable at start
 * delays it (retried every 30 s), it never stops the service. One run at a time (SKIP): a run held
 * up by a mail outage is followed by the next once it ends.
 */
@Injectable()
export class EmailDigestSchedule implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger(EmailDigestSchedule.name);
  private timer?: NodeJS.Timeout;

  constructor(
    @Inject(ACCESS_WORKFLOWS_CONFIG) private readonly config: AccessWorkflowsConfig,
    private readonly temporal: TemporalClientProvider,
  ) {}

  get scheduleId(): string {
    return emailDigestScheduleId(this.config.TASK_QUEUE_PREFIX);
  }

  onApplicationBootstrap(): void {
    if (this.config.DIGEST_RUN_EVERY === 'off') return;
    void this.ensure();
  }

  onApplicationShutdown(): void {
    clearTimeout(this.timer);
  }

  private async ensure(): Promise<void> {
    try {
      await this.upsert();
      this.log.log(`Schedule ${this.scheduleId}: the daily digests due are sent every ${Number(this.config.DIGEST_RUN_EVERY) / 60_000} minutes`);
    } catch (err) {
      this.log.warn(`Schedule ${this.scheduleId} not set yet (${err instanceof Error ? err.message : String(err)}); retrying in ${RETRY_MS / 1000} s`);
      this.timer = setTimeout(() => void this.ensure(), RETRY_MS);
    }
  }

  private async upsert(): Promise<void> {
    const every = this.config.DIGEST_RUN_EVERY;
    if (every === 'off') return;
    const spec: ScheduleSpec = { intervals: [{ every }] };
    const args: [EmailDigestWorkflowInput] = [{ taskQueues: activityTaskQueues(this.config) }];
    const action: ScheduleOptionsAction = {
      type: 'startWorkflow',
      workflowType: EMAIL_DIGEST_WORKFLOW,
      workflowId: `${this.scheduleId}-run`,
      taskQueue: taskQueue('accessWorkflows', this.config.TASK_QUEUE_PREFIX),
      args,
    };
    const client = this.temporal.client.schedule;
    const policies = { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 hour' } as const;
    try {
      await client.create({ scheduleId: this.scheduleId, spec, action, policies, memo: { purpose: 'The daily email digests (issue 19)' } });
    } catch (err) {
      if (!(err instanceof ScheduleAlreadyRunning)) throw err;
      await client.getHandle(this.scheduleId).update((prev) => ({ ...prev, spec, action }));
    }
  }
}
