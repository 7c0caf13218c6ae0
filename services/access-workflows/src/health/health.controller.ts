import { Controller } from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';
import { ACCESS_WORKFLOWS_PATTERNS, type HealthReport } from '@am/contracts';
import { AccessWorkflowsWorker } from '../temporal/access-workflows-worker';
import { TemporalClientProvider } from '../temporal/temporal-client.provider';

@Controller()
export class HealthController {
  constructor(
    private readonly temporal: TemporalClientProvider,
    private readonly worker: AccessWorkflowsWorker,
  ) {}

  @MessagePattern(ACCESS_WORKFLOWS_PATTERNS.health)
  async health(): Promise<HealthReport> {
    const temporal = await this.temporal.checkHealth();
    const worker = this.worker.isRunning() ? ('ok' as const) : 'not running';
    return { service: 'access-workflows', status: temporal === 'ok' && worker === 'ok' ? 'ok' : 'error', checks: { temporal, worker } };
  }
}
