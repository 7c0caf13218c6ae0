import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { NOTIFICATIONS_PATTERNS } from '@am/contracts';
import { notificationsPayloads, parsePayload } from '@am/service-kit';
import { AccountEmailsService } from './account-emails.service';

@Controller()
export class AccountEmailsController {
  constructor(private readonly emails: AccountEmailsService) {}

  @MessagePattern(NOTIFICATIONS_PATTERNS.queueAccountEmail)
  queue(@Payload() payload: unknown): Promise<{ queued: true }> {
    return this.emails.queue(parsePayload(notificationsPayloads.queueAccountEmail, payload));
  }
}
