import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { z } from 'zod';
import { NOTIFICATIONS_PATTERNS, type QueueAccountEmailCommand } from '@am/contracts';
import { parsePayload } from '@am/service-kit';
import { AccountEmailsService } from './account-emails.service';

const loginId = z.string().min(1).max(100);
const token = z.string().regex(/^[A-Za-z0-9_-]{20,100}$/);
const expiresAt = z.iso.datetime({ offset: true });
const queueSchema = z.intersection(
  z.object({
    idempotencyKey: z.string().min(1).max(200),
    to: z.object({ email: z.email(), displayName: z.string().min(1).max(200) }),
  }),
  z.discriminatedUnion('template', [
    z.object({ template: z.literal('verify-email'), data: z.object({ loginId, token, expiresAt }) }),
    z.object({ template: z.literal('password-reset'), data: z.object({ loginId, token, expiresAt }) }),
    ...(['email-already-registered', 'user-id-reminder', 'password-changed', 'account-disabled', 'account-enabled', 'two-factor-reset'] as const).map((t) =>
      z.object({ template: z.literal(t), data: z.object({ loginId }) }),
    ),
  ]),
) as unknown as z.ZodType<QueueAccountEmailCommand>;

@Controller()
export class AccountEmailsController {
  constructor(private readonly emails: AccountEmailsService) {}

  @MessagePattern(NOTIFICATIONS_PATTERNS.queueAccountEmail)
  queue(@Payload() payload: unknown): Promise<{ queued: true }> {
    return this.emails.queue(parsePayload(queueSchema, payload));
  }
}
