import { createHash } from 'node:crypto';
import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { createTransport, type Transporter } from 'nodemailer';
import { NOTIFICATIONS_CONFIG, type NotificationsConfig } from '../config/notifications.config';
import type { RenderedEmail } from './templates';

/**
 * The Message-ID derives from the idempotency key, so every copy of one notice carries the same
 * id and receivers (and our tests) can tell a duplicate from a second notice.
 */
export function messageIdOf(idempotencyKey: string): string {
  return `<${createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 32)}@access-manager>`;
}

/** Sends email through nodemailer over SMTP. */
@Injectable()
export class Mailer implements OnApplicationShutdown {
  private readonly transport: Transporter;

  constructor(@Inject(NOTIFICATIONS_CONFIG) private readonly config: NotificationsConfig) {
    // Short timeouts: a dead mail server fails the attempt quickly (Temporal retries it), well
    // inside the ledger's send lease, instead of hanging an activity for nodemailer's minutes.
    // Pooled: a few connections stay open and carry message after message, instead of a new
    // connection (TCP, greeting, EHLO, QUIT) for each one.
    // (The URL goes in the options: createTransport's second argument is message defaults, where
    // the timeouts below used to sit without effect.)
    this.transport = createTransport({
      url: config.SMTP_URL,
      pool: true,
      maxConnections: config.SMTP_POOL_SIZE,
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 30_000,
    });
  }

  async send(to: { email: string; displayName: string }, email: RenderedEmail, idempotencyKey: string, messageId = messageIdOf(idempotencyKey)): Promise<string> {
    await this.transport.sendMail({
      from: this.config.MAIL_FROM,
      to: { name: to.displayName, address: to.email },
      subject: email.subject,
      text: email.text,
      html: email.html,
      messageId,
      headers: { 'X-Idempotency-Key': idempotencyKey },
    });
    return messageId;
  }

  async verify(): Promise<'ok' | string> {
    return this.transport.verify().then(
      () => 'ok' as const,
      (err: unknown) => (err instanceof Error ? err.message : String(err)),
    );
  }

  onApplicationShutdown(): void {
    this.transport.close();
  }
}
