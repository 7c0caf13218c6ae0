import { Controller } from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';
import { DIRECTORY_PATTERNS, type HealthReport } from '@am/contracts';
import { PrismaService } from '../prisma/prisma.service';
import { DirectoryWorker } from '../temporal/directory-worker';

@Controller()
export class HealthController {
  constructor(
    private readonly prisma: PrismaService,
    private readonly worker: DirectoryWorker,
  ) {}

  @MessagePattern(DIRECTORY_PATTERNS.health)
  async health(): Promise<HealthReport> {
    const database = await this.prisma.$queryRaw`SELECT 1`.then(
      () => 'ok' as const,
      (err: unknown) => (err instanceof Error ? err.message : String(err)),
    );
    const worker = this.worker.isRunning() ? ('ok' as const) : 'not running';
    return { service: 'directory', status: database === 'ok' && worker === 'ok' ? 'ok' : 'error', checks: { database, worker } };
  }
}
