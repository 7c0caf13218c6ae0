import { Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { ScheduleAlreadyRunning, type ScheduleOptions, type ScheduleOptionsAction, type ScheduleSpec } from '@temporalio/client';
import type { TemporalClientProvider } from './temporal-client.provider';

const RETRY_MS = 30_000;

/** What a schedule is, as its configuration says now. */
export interface ScheduleDefinition {
  spec: ScheduleSpec;
  action: ScheduleOptionsAction;
  policies: NonNullable<ScheduleOptions['policies']>;
  /** Shown in Temporal's UI beside the schedule. */
  purpose: string;
  /** What the service logs once the schedule is set: when it runs. */
  runs: string;
}

/**
 * A Temporal Schedule the service owns, visible (and triggerable) in Temporal's UI: created when
 * the service starts, or updated to the configuration when it exists. Temporal unreachable at
 * start delays it (retried every 30 s); it never stops the service. A subclass says whether it is
 * on, its id, and what it is.
 */
export abstract class ConfiguredSchedule implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger(this.constructor.name);
  private timer?: NodeJS.Timeout;

  protected constructor(private readonly temporal: TemporalClientProvider) {}

  abstract get scheduleId(): string;
  /** False when the configuration turns the schedule off: it is then never created. */
  protected abstract enabled(): boolean;
  protected abstract definition(): ScheduleDefinition;

  onApplicationBootstrap(): void {
    if (this.enabled()) void this.ensure();
  }

  onApplicationShutdown(): void {
    clearTimeout(this.timer);
  }

  private async ensure(): Promise<void> {
    try {
      const { spec, action, policies, purpose, runs } = this.definition();
      const client = this.temporal.client.schedule;
      try {
        await client.create({ scheduleId: this.scheduleId, spec, action, policies, memo: { purpose } });
      } catch (err) {
        if (!(err instanceof ScheduleAlreadyRunning)) throw err;
        await client.getHandle(this.scheduleId).update((prev) => ({ ...prev, spec, action }));
      }
      this.log.log(`Schedule ${this.scheduleId}: ${runs}`);
    } catch (err) {
      this.log.warn(`Schedule ${this.scheduleId} not set yet (${err instanceof Error ? err.message : String(err)}); retrying in ${RETRY_MS / 1000} s`);
      this.timer = setTimeout(() => void this.ensure(), RETRY_MS);
    }
  }
}
