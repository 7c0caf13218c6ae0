import { Controller } from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';
import { NOTIFICATIONS_PATTERNS, type HealthReport } from '@am/contracts';
import { Mailer } from '../email/mailer';
import { NotificationsWorker } from '../temporal/notifications-worker';

@Controller()
export class HealthController {
  constructor(
    private readonly mailer: Mailer,
    private readonly worker: NotificationsWorker,
  ) {}

  @MessagePattern(NOTIFICATIONS_PATTERNS.health)
  async health(): Promise<HealthReport> {
    const smtp = await this.mailer.verify();
    const worker = this.worker.isRunning() ? ('ok' as const) : 'not running';
    // The mail server being down delays mail but loses none, so it does not make the service unready.
    return { service: 'notifications', status: worker === 'ok' ? 'ok' : 'error', checks: { smtp, worker } };
  }
}
