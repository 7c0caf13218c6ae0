import { Controller, Get, HttpStatus, Inject, Res } from '@nestjs/common';
import type { ClientProxy } from '@nestjs/microservices';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import {
  ACCESS_WORKFLOWS_CLIENT,
  ACCESS_WORKFLOWS_PATTERNS,
  DIRECTORY_CLIENT,
  DIRECTORY_PATTERNS,
  NOTIFICATIONS_CLIENT,
  NOTIFICATIONS_PATTERNS,
  type HealthReport,
} from '@am/contracts';
import { call } from '@am/service-kit';
import { Public } from '../auth/principal';
import { HealthResponse } from './health.responses';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    @Inject(DIRECTORY_CLIENT) private readonly directory: ClientProxy,
    @Inject(ACCESS_WORKFLOWS_CLIENT) private readonly workflows: ClientProxy,
    @Inject(NOTIFICATIONS_CLIENT) private readonly notifications: ClientProxy,
  ) {}

  @Public()
  @Get()
  @ApiOperation({ summary: 'Readiness of the gateway and every service behind it (503 when any is not ready)' })
  @ApiOkResponse({ type: HealthResponse, description: 'Every service is ready' })
  @ApiServiceUnavailableResponse({ type: HealthResponse, description: 'A service is not ready: the same report, naming what fails' })
  async health(@Res({ passthrough: true }) res: Response) {
    const ask = (client: ClientProxy, pattern: string, service: string) =>
      call<HealthReport>(client, pattern, {}, 3000).catch(
        (err: unknown): HealthReport => ({ service, status: 'error', checks: { reachable: err instanceof Error ? err.message : String(err) } }),
      );
    const services = await Promise.all([
      ask(this.directory, DIRECTORY_PATTERNS.health, 'directory'),
      ask(this.workflows, ACCESS_WORKFLOWS_PATTERNS.health, 'access-workflows'),
      ask(this.notifications, NOTIFICATIONS_PATTERNS.health, 'notifications'),
    ]);
    const ok = services.every((s) => s.status === 'ok');
    res.status(ok ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE);
    return { status: ok ? 'ok' : 'error', services };
  }
}
