import { Injectable } from '@nestjs/common';
import { PrismaService } from '../prisma/prisma.service';

export interface LedgerEntry {
  idempotencyKey: string;
  template: string;
  toEmail: string;
  toName: string;
  subject: string;
  text: string;
  html: string;
  messageId: string;
}
export interface LedgerRow extends LedgerEntry {
  state: string;
  attempts: number;
}
export interface NewNotice {
  idempotencyKey: string;
  userId: string;
  kind: string;
  title: string;
  body: string;
  link: string;
  popup: boolean;
}

/** The email ledger: one row per email key, PENDING until the SMTP server accepted it, then SENT. */
@Injectable()
export class EmailLedgerRepository {
  constructor(private readonly prisma: PrismaService) {}

  /**
   * Records the email (and its in-app notice) under its key in one transaction, unless a retry
   * recorded them already; returns the ledger row as first recorded.
   */
  async recordOnce(entry: LedgerEntry, notice: NewNotice | null): Promise<LedgerRow> {
    await this.prisma.$transaction([
      this.prisma.emailLedger.createMany({ data: [entry], skipDuplicates: true }),
      ...(notice ? [this.prisma.notice.createMany({ data: [notice], skipDuplicates: true })] : []),
    ]);
    return this.prisma.emailLedger.findUniqueOrThrow({ where: { idempotencyKey: entry.idempotencyKey } });
  }

  /** Takes the right to send a PENDING email for `leaseMs`; false when it is sent, or another attempt holds it. */
  async claim(idempotencyKey: string, leaseMs: number): Promise<boolean> {
    const now = new Date();
    const { count } = await this.prisma.emailLedger.updateMany({
      where: { idempotencyKey, state: 'PENDING', OR: [{ claimedUntil: null }, { claimedUntil: { lt: now } }] },
      data: { claimedUntil: new Date(now.getTime() + leaseMs), attempts: { increment: 1 } },
    });
    return count === 1;
  }

  find(idempotencyKey: string): Promise<LedgerRow | null> {
    return this.prisma.emailLedger.findUnique({ where: { idempotencyKey } });
  }

  /** Marks the email sent, keeping `parts` (the text and HTML as they may be kept) instead of what was sent. */
  async markSent(idempotencyKey: string, parts?: { text: string; html: string }): Promise<void> {
    await this.prisma.emailLedger.update({ where: { idempotencyKey }, data: { state: 'SENT', sentAt: new Date(), claimedUntil: null, lastError: null, ...parts } });
  }

  /** Gives the claim back after a failed attempt, so the next retry sends at once. */
  async release(idempotencyKey: string, error: string): Promise<void> {
    await this.prisma.emailLedger.updateMany({ where: { idempotencyKey, state: 'PENDING' }, data: { claimedUntil: null, lastError: error.slice(0, 2000) } });
  }
}
