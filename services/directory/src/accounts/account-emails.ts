import { Inject, Injectable, Logger } from '@nestjs/common';
import type { ClientProxy } from '@nestjs/microservices';
import { NOTIFICATIONS_CLIENT, NOTIFICATIONS_PATTERNS, type QueueAccountEmailCommand } from '@am/contracts';
import { call } from '@am/service-kit';

/**
 * Account emails go through the notifications service, which records each under its key (a retry
 * of the same key sends nothing twice) and delivers it durably. The directory passes a link's
 * token over the RPC only: it keeps nothing but the token's hash.
 */
@Injectable()
export class AccountEmails {
  private readonly logger = new Logger(AccountEmails.name);

  constructor(@Inject(NOTIFICATIONS_CLIENT) private readonly notifications: ClientProxy) {}

  /** Queues the email; fails (503) when the notifications service cannot record it. */
  async queue(email: QueueAccountEmailCommand): Promise<void> {
    await call(this.notifications, NOTIFICATIONS_PATTERNS.queueAccountEmail, email, 15_000);
  }

  /**
   * Queues an email whose failure must not change the answer: a notice about something done
   * already, or a recovery email, whose answer must be the same whether or not the account exists.
   */
  async queueQuietly(email: QueueAccountEmailCommand): Promise<void> {
    await this.queue(email).catch((err: unknown) =>
      this.logger.warn(`Account email ${email.idempotencyKey} (${email.template}) not queued: ${err instanceof Error ? err.message : String(err)}`),
    );
  }
}
