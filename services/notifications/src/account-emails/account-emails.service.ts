import { Injectable } from '@nestjs/common';
import type { QueueAccountEmailCommand } from '@am/contracts';
import { NotificationDeliveryService } from '../ledger/notification-delivery.service';
import { AccountEmailWorkflows } from './account-email-workflows';

/**
 * Account emails (issue 10), sent exactly once and durably without a token ever entering Temporal:
 * the email, single-use link included, is rendered and recorded in the ledger first (the link
 * stays only until the SMTP server accepts it), then a workflow that knows only the ledger key
 * sends it, retrying through mail server outages.
 */
@Injectable()
export class AccountEmailsService {
  constructor(
    private readonly delivery: NotificationDeliveryService,
    private readonly workflows: AccountEmailWorkflows,
  ) {}

  async queue(cmd: QueueAccountEmailCommand): Promise<{ queued: true }> {
    await this.delivery.record(cmd);
    await this.workflows.start(cmd.idempotencyKey);
    return { queued: true };
  }
}
