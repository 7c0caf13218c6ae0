import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { ACCESS_WORKFLOWS_CONFIG, type AccessWorkflowsConfig } from '../config/access-workflows.config';
import { RoleRequestWorkflowsService } from './role-request-workflows.service';

/**
 * The directory is the record of requests; Temporal runs them. On boot, every PENDING request
 * without a workflow (seeded demo requests, or a submit whose start was cut off) gets one.
 * Retries until the directory answers, without holding up the service's own start.
 */
@Injectable()
export class Reconciler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(Reconciler.name);
  private running?: Promise<void>;
  private stopped = false;

  constructor(
    @Inject(ACCESS_WORKFLOWS_CONFIG) private readonly config: AccessWorkflowsConfig,
    private readonly workflows: RoleRequestWorkflowsService,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.RECONCILE_ON_START) this.running = this.runWithRetry();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    await this.running;
  }

  private async runWithRetry(): Promise<void> {
    for (let attempt = 1; !this.stopped; attempt++) {
      try {
        await this.workflows.reconcile();
        return;
      } catch (err) {
        this.logger.warn(`Reconciliation attempt ${attempt} failed: ${err instanceof Error ? err.message : String(err)}`);
        await new Promise((resolve) => setTimeout(resolve, Math.min(1000 * attempt, 10_000)));
      }
    }
  }
}
