import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { SMTPServer } from 'smtp-server';

/**
 * A real SMTP server (the smtp-server library MailDev is built on) that keeps only when each
 * message was accepted, by its X-Idempotency-Key header: the notifications service sets that header
 * to the notice's key (`role-request-<id>/decided/requester`, ...). Keeping nothing else lets it
 * take tens of thousands of messages without becoming the bottleneck it measures.
 */
export class SmtpSink {
  private readonly acceptedAt = new Map<string, number>();
  private readonly waiters = new Map<string, (at: number) => void>();
  private readonly counts = new Map<string, number>();
  private server?: SMTPServer;
  port = 0;
  /** Messages accepted in all. */
  total = 0;

  async start(host = '127.0.0.1'): Promise<string> {
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      size: 1024 * 1024,
      onData: (stream, _session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          this.accept(Buffer.concat(chunks).toString('utf8'));
          callback();
        });
      },
    });
    this.server.listen(0, host);
    await once(this.server.server, 'listening');
    this.port = (this.server.server.address() as AddressInfo).port;
    return `smtp://${host}:${this.port}`;
  }

  /** Resolves with the time (performance.now()) the message with this key was accepted. */
  acceptance(key: string): Promise<number> {
    const at = this.acceptedAt.get(key);
    if (at !== undefined) return Promise.resolve(at);
    return new Promise((resolve) => this.waiters.set(key, resolve));
  }

  /** How many messages of a kind were accepted: the key after the request id, less a trailing user id (`/submitted/requester`, `/decided/approver`). */
  countOf(kind: string): number {
    return this.counts.get(kind) ?? 0;
  }

  /** When each message whose key passes `match` was accepted (performance.now()), first acceptances only. */
  acceptedWhere(match: (key: string) => boolean): number[] {
    const out: number[] = [];
    for (const [key, at] of this.acceptedAt) if (match(key)) out.push(at);
    return out;
  }

  /** How many keys were accepted more than once (a duplicate email). */
  duplicates = 0;

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private accept(raw: string): void {
    const at = performance.now();
    this.total++;
    const headers = raw.slice(0, raw.search(/\r?\n\r?\n/)).replace(/\r?\n[ \t]+/g, ' ');
    const key = /^x-idempotency-key:\s*(.+)$/im.exec(headers)?.[1]?.trim();
    if (!key) return;
    if (this.acceptedAt.has(key)) {
      this.duplicates++;
      return;
    }
    this.acceptedAt.set(key, at);
    const suffix = key.slice(key.indexOf('/'));
    const kind = suffix.replace(/\/[0-9a-f-]{36}$/, '');
    this.counts.set(kind, (this.counts.get(kind) ?? 0) + 1);
    this.waiters.get(key)?.(at);
    this.waiters.delete(key);
  }
}
