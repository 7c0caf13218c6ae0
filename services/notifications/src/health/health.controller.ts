import { Controller } from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';
import { NOTIFICATIONS_PATTERNS, type HealthReport } from '@am/contracts';
import { Mailer } from '../email/mailer';
import { NoticesRepository } from '../notices/notices.repository';
import { NotificationsWorker } from '../temporal/notifications-worker';

@Controller()
export class HealthController {
  constructor(
    private readonly mailer: Mailer,
    private readonly notices: NoticesRepository,
    private readonly worker: NotificationsWorker,
  ) {}

  @MessagePattern(NOTIFICATIONS_PATTERNS.health)
  async health(): Promise<HealthReport> {
    const [smtp, database] = await Promise.all([
      this.mailer.verify(),
      this.notices.now().then(
        () => 'ok' as const,
        (err: unknown) => (err instanceof Error ? err.message : String(err)),
      ),
    ]);
    const worker = this.worker.isRunning() ? ('ok' as const) : 'not running';
    // The mail server being down delays mail but loses none, so it does not make the service unready.
    const ready = worker === 'ok' && database === 'ok';
    return { service: 'notifications', status: ready ? 'ok' : 'error', checks: { smtp, database, worker } };
  }
}
