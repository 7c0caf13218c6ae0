import { Inject, Injectable, Logger } from '@nestjs/common';
import type { NotificationInput } from '@am/workflow-contracts';
import { NOTIFICATIONS_CONFIG, type NotificationsConfig } from '../config/notifications.config';
import { Mailer, messageIdOf } from '../email/mailer';
import { renderNotice, renderNotification, withoutLinkTokens, type RenderInput, type TemplateContext } from '../email/templates';
import { EmailLedgerRepository, type LedgerRow } from './email-ledger.repository';

/** Another attempt is sending this email right now: retry later, and find it SENT (or the lease expired). */
export class EmailInFlightError extends Error {
  constructor(key: string) {
    super(`Email ${key} is being sent by another attempt`);
    this.name = 'EmailInFlightError';
  }
}

/** Asked to send an email that was never recorded: a bug of the caller, which no retry mends. */
export class EmailNotRecordedError extends Error {
  constructor(key: string) {
    super(`No email is recorded under ${key}`);
    this.name = 'EmailNotRecordedError';
  }
}

export interface DeliveryResult {
  messageId: string;
  /** True when an earlier attempt had sent it already: nothing was sent now. */
  duplicate: boolean;
}

/**
 * Delivers one notice exactly once (rule 14). The email and its in-app notice are recorded under
 * the notice's idempotency key first (the pop-up never waits for the mail server), then the email
 * is sent under a lease and marked SENT at once. Temporal retries an attempt that failed with the
 * same key: it sends what was recorded, or nothing when the ledger says SENT. The one window left
 * (the SMTP server accepted but the SENT mark was never written) resends with the same Message-ID.
 */
@Injectable()
export class NotificationDeliveryService {
  private readonly logger = new Logger(NotificationDeliveryService.name);

  constructor(
    @Inject(NOTIFICATIONS_CONFIG) private readonly config: NotificationsConfig,
    private readonly ledger: EmailLedgerRepository,
    private readonly mailer: Mailer,
  ) {}

  private context(): TemplateContext {
    return {
      webBaseUrl: this.config.WEB_BASE_URL,
      support: { phone: this.config.SUPPORT_PHONE, email: this.config.SUPPORT_EMAIL, hours: this.config.SUPPORT_HOURS },
    };
  }

  async deliver(input: NotificationInput): Promise<DeliveryResult> {
    await this.record(input);
    return this.sendRecorded(input.idempotencyKey);
  }

  /**
   * Renders and records the email (and its in-app notice, for a user) under its idempotency key,
   * unless an earlier attempt did: what was recorded first is what goes out.
   */
  async record(input: RenderInput): Promise<LedgerRow> {
    const key = input.idempotencyKey;
    const ctx = this.context();
    const email = renderNotification(input, ctx);
    const userId = 'userId' in input.to ? input.to.userId : undefined;
    const notice = userId ? { idempotencyKey: key, userId, kind: input.template, ...renderNotice(input, ctx) } : null;
    return this.ledger.recordOnce(
      { idempotencyKey: key, template: input.template, toEmail: input.to.email, toName: input.to.displayName, ...email, messageId: messageIdOf(key) },
      notice,
    );
  }

  /** Sends the email recorded under `key` once: nothing when the ledger says SENT. */
  async sendRecorded(key: string): Promise<DeliveryResult> {
    const row = await this.ledger.find(key);
    if (!row) throw new EmailNotRecordedError(key);
    if (row.state === 'SENT') return { messageId: row.messageId, duplicate: true };
    if (!(await this.ledger.claim(key, this.config.SMTP_SEND_LEASE_SECONDS * 1000))) throw new EmailInFlightError(key);
    try {
      // What was recorded first is what goes out, whatever a later rendering would say.
      await this.mailer.send({ email: row.toEmail, displayName: row.toName }, row, key, row.messageId);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      this.logger.warn(`Email ${key} not sent (attempt ${row.attempts + 1}), will retry: ${message}`);
      await this.ledger.release(key, message);
      throw err;
    }
    // Once sent, the ledger keeps no single-use link that still works (an account email's token).
    await this.ledger.markSent(key, { text: withoutLinkTokens(row.text), html: withoutLinkTokens(row.html) });
    return { messageId: row.messageId, duplicate: false };
  }
}
