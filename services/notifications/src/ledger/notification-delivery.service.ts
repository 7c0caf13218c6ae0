import { Inject, Injectable, Logger } from '@nestjs/common';
import { DomainError, ERROR_CODES } from '@am/contracts';
import type { NotificationInput } from '@am/workflow-contracts';
import { NOTIFICATIONS_CONFIG, type NotificationsConfig } from '../config/notifications.config';
import { Mailer, messageIdOf } from '../email/mailer';
import { renderNotice, renderNotification, withoutLinkTokens, type RenderInput, type TemplateContext } from '../email/templates';
import { EmailLedgerRepository, type Claim, type Outcome, type Recording } from './email-ledger.repository';

/** Another attempt is sending this email right now: retry later, and find it SENT (or the lease expired). */
export class EmailInFlightError extends Error {
  constructor(key: string) {
    super(`Email ${key} is being sent by another attempt`);
    this.name = 'EmailInFlightError';
  }
}

/** Asked to send an email that was never recorded: a bug of the caller, which no retry mends. */
/** No retry can send an email that was never recorded: a refusal in the one failure shape (NOT_FOUND). */
export class EmailNotRecordedError extends DomainError {
  constructor(key: string) {
    super(ERROR_CODES.NOT_FOUND, `No email is recorded under ${key}`, 'idempotencyKey');
    this.name = 'EmailNotRecordedError';
  }
}

export interface DeliveryResult {
  messageId: string;
  /** True when an earlier attempt had sent it already: nothing was sent now. */
  duplicate: boolean;
}

/**
 * Delivers notices exactly once (rule 14), in two SQL statements for any number of them.
 * 1. Record and claim: each email and its in-app notice are recorded under the notice's
 *    idempotency key unless an earlier attempt did (the pop-up never waits for the mail server),
 *    and each email that is PENDING and free is claimed for a lease (SMTP_SEND_LEASE_SECONDS).
 * 2. Only the claimed emails are sent, as first recorded, under a Message-ID and an
 *    X-Idempotency-Key derived from the key; then one statement settles them all: SENT for those
 *    the SMTP server accepted, the claim given back (with the error) for those it did not.
 * A retry (Temporal retries a failed attempt with the same key) finds an email SENT and sends
 * nothing, or claims it again once it is free. Two attempts racing on a key: one claims, the other
 * fails with EmailInFlightError and its retry finds the email SENT. An attempt that died holding a
 * claim holds it only until its lease runs out. The one window SMTP leaves (the server accepted
 * the message, then the attempt died before the SENT mark) resends after the lease, with the same
 * Message-ID and X-Idempotency-Key, so a receiver can tell the copy.
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

  private get leaseMs(): number {
    return this.config.SMTP_SEND_LEASE_SECONDS * 1000;
  }

  /** The email (and, for a user, the in-app notice) of `input`, rendered now. */
  private recording(input: RenderInput): Recording {
    const key = input.idempotencyKey;
    const ctx = this.context();
    const email = renderNotification(input, ctx);
    const userId = 'userId' in input.to ? input.to.userId : undefined;
    return {
      entry: { idempotencyKey: key, template: input.template, toEmail: input.to.email, toName: input.to.displayName, ...email, messageId: messageIdOf(key) },
      notice: userId ? { idempotencyKey: key, userId, kind: input.template, ...renderNotice(input, ctx) } : null,
    };
  }

  async deliver(input: NotificationInput): Promise<DeliveryResult> {
    const [result] = await this.deliverAll([input]);
    return result;
  }

  /**
   * Delivers several notices: one statement records and claims them all, the claimed ones go out
   * side by side, one statement settles them. One that fails does not hold back the others; after
   * the others are settled, the first failure is thrown (the retry sends only what is not SENT).
   * The same key twice is one notice.
   */
  async deliverAll(inputs: NotificationInput[]): Promise<DeliveryResult[]> {
    // Issue 19: a notice its recipient reads in their daily digest is recorded in-app only (and
    // streamed live like any other); no email is recorded, so none is ever sent for it.
    const digested = inputs.filter((i) => i.digest === true);
    const emailed = inputs.filter((i) => i.digest !== true);
    if (digested.length) await this.ledger.recordNotices(digested.flatMap((i) => this.recording(i).notice ?? []));
    const recordings = [...new Map(emailed.map((i) => [i.idempotencyKey, this.recording(i)])).values()];
    const claims = await this.ledger.recordAndClaim(recordings, this.leaseMs);
    const results = new Map(await this.sendClaimed(claims));
    return inputs.map((i) => (i.digest === true ? { messageId: '', duplicate: false } : results.get(i.idempotencyKey)!));
  }

  /**
   * Renders and records the email (and its in-app notice, for a user) under its idempotency key,
   * unless an earlier attempt did: what was recorded first is what goes out.
   */
  async record(input: RenderInput): Promise<void> {
    await this.ledger.record([this.recording(input)]);
  }

  /** Sends the email recorded under `key` once: nothing when the ledger says SENT. */
  async sendRecorded(key: string): Promise<DeliveryResult> {
    const claim = await this.ledger.claim(key, this.leaseMs);
    if (claim.status === 'missing') throw new EmailNotRecordedError(key);
    const [[, result]] = await this.sendClaimed([claim]);
    return result;
  }

  /**
   * Sends the claimed emails, settles them in one statement, and answers each key; throws the
   * first failure (an SMTP error, or another attempt holding a claim) once all are settled.
   */
  private async sendClaimed(claims: Claim[]): Promise<[string, DeliveryResult][]> {
    const sending = claims.map(async (c): Promise<{ outcome?: Outcome; result?: DeliveryResult; error?: unknown }> => {
      if (c.status === 'sent') return { result: { messageId: c.messageId, duplicate: true } };
      if (c.status !== 'claimed') return { error: new EmailInFlightError(c.key) };
      const { email, attempt } = c;
      try {
        // What was recorded first is what goes out, whatever a later rendering would say.
        await this.mailer.send({ email: email.toEmail, displayName: email.toName }, email, email.idempotencyKey, email.messageId);
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        this.logger.warn(`Email ${c.key} not sent (attempt ${attempt}), will retry: ${message}`);
        return { outcome: { key: c.key, attempt, sent: false, error: message }, error: err };
      }
      // Once sent, the ledger keeps no single-use link that still works (an account email's token).
      return {
        outcome: { key: c.key, attempt, sent: true, text: withoutLinkTokens(email.text), html: withoutLinkTokens(email.html) },
        result: { messageId: email.messageId, duplicate: false },
      };
    });
    const done = await Promise.all(sending);
    await this.ledger.settle(done.flatMap((d) => (d.outcome ? [d.outcome] : [])));
    const failed = done.find((d) => d.error !== undefined);
    if (failed) throw failed.error;
    return done.map((d, i) => [claims[i].key, d.result!]);
  }
}
