import type { QueueAccountEmailCommand } from '@am/contracts';
import type { NotificationInput } from '@am/workflow-contracts';
import { loadNotificationsConfig } from '../config/notifications.config';
import type { Mailer } from '../email/mailer';
import type { EmailLedgerRepository, LedgerEntry, LedgerRow, NewNotice } from './email-ledger.repository';
import { EmailInFlightError, EmailNotRecordedError, NotificationDeliveryService } from './notification-delivery.service';

/** An in-memory ledger with the repository's semantics (insert-once, lease, SENT mark). */
class FakeLedger {
  rows = new Map<string, LedgerRow & { claimedUntil: number | null }>();
  notices = new Map<string, NewNotice>();
  now = 1_000_000;

  async recordOnce(entry: LedgerEntry, notice: NewNotice | null): Promise<LedgerRow> {
    if (!this.rows.has(entry.idempotencyKey)) this.rows.set(entry.idempotencyKey, { ...entry, state: 'PENDING', attempts: 0, claimedUntil: null });
    if (notice && !this.notices.has(notice.idempotencyKey)) this.notices.set(notice.idempotencyKey, notice);
    return { ...this.rows.get(entry.idempotencyKey)! };
  }
  async claim(key: string, leaseMs: number): Promise<boolean> {
    const r = this.rows.get(key)!;
    if (r.state !== 'PENDING' || (r.claimedUntil !== null && r.claimedUntil >= this.now)) return false;
    r.claimedUntil = this.now + leaseMs;
    r.attempts++;
    return true;
  }
  async find(key: string): Promise<LedgerRow | null> {
    const r = this.rows.get(key);
    return r ? { ...r } : null;
  }
  async markSent(key: string, parts?: { text: string; html: string }): Promise<void> {
    Object.assign(this.rows.get(key)!, { state: 'SENT', claimedUntil: null, ...parts });
  }
  async release(key: string): Promise<void> {
    this.rows.get(key)!.claimedUntil = null;
  }
}

const config = loadNotificationsConfig({ DATABASE_URL: 'postgresql://unused/db', WEB_BASE_URL: 'https://am.example/' });
const input = (over: Partial<NotificationInput['to']> = {}): NotificationInput => ({
  idempotencyKey: 'role-request-r1/decided/requester',
  to: { email: 't@example.com', displayName: 'Thomas Miller', userId: '6f1c1f9e-8d35-4a57-9a58-0f4f2f0c1a11', ...over },
  template: 'request-decided',
  data: { requestId: 'r1', decision: 'DENIED', role: 'STAFF_USER', organizationName: 'Acme Clinic, LLC', deciderName: 'Elizabeth Blackwell', reason: 'Not on staff' },
});

function setup(sendImpl: () => Promise<void> = async () => undefined) {
  const ledger = new FakeLedger();
  const send = jest.fn(sendImpl);
  const mailer = { send } as unknown as Mailer;
  const service = new NotificationDeliveryService(config, ledger as unknown as EmailLedgerRepository, mailer);
  return { ledger, send, service };
}

describe('NotificationDeliveryService (exactly once)', () => {
  it('sends once; a retry of a delivered notice sends nothing and says so', async () => {
    const { service, send, ledger } = setup();
    const first = await service.deliver(input());
    const again = await service.deliver(input());
    expect(send).toHaveBeenCalledTimes(1);
    expect(first.duplicate).toBe(false);
    expect(again).toEqual({ messageId: first.messageId, duplicate: true });
    expect(ledger.rows.get(input().idempotencyKey)).toMatchObject({ state: 'SENT', attempts: 1 });
  });

  it('after an SMTP failure the retry sends the recorded email, once, with the same Message-ID', async () => {
    let up = false;
    const { service, send, ledger } = setup(async () => {
      if (!up) throw new Error('connect ECONNREFUSED 127.0.0.1:1025');
    });
    await expect(service.deliver(input())).rejects.toThrow('ECONNREFUSED');
    await expect(service.deliver(input())).rejects.toThrow('ECONNREFUSED');
    up = true;
    const sent = await service.deliver(input());
    await service.deliver(input());
    expect(send).toHaveBeenCalledTimes(3); // two failed tries and the one that went through; none after SENT
    const ids = send.mock.calls.map((c) => (c as unknown[])[3]);
    expect(new Set(ids)).toEqual(new Set([sent.messageId]));
    expect(ledger.rows.get(input().idempotencyKey)).toMatchObject({ state: 'SENT', attempts: 3 });
  });

  it('stores the in-app notice before the email goes out, so a mail outage does not delay it', async () => {
    const { service, ledger } = setup(async () => {
      throw new Error('SMTP down');
    });
    await expect(service.deliver(input())).rejects.toThrow('SMTP down');
    expect(ledger.notices.get(input().idempotencyKey)).toMatchObject({
      userId: input().to.userId,
      kind: 'request-decided',
      title: 'Your request for the Staff User role at Acme Clinic, LLC was denied',
      body: 'Elizabeth Blackwell denied your request for the Staff User role at Acme Clinic, LLC. Reason: Not on staff',
      link: 'https://am.example/manage-access',
      popup: false,
    });
  });

  it('stores no notice for a recipient without a user id (histories from before notices)', async () => {
    const { service, ledger } = setup();
    await service.deliver(input({ userId: undefined }));
    expect(ledger.notices.size).toBe(0);
  });

  it('never sends while another attempt is sending; after that attempt it is a duplicate', async () => {
    let finish!: () => void;
    const { service, send } = setup(() => new Promise<void>((resolve) => (finish = resolve)));
    const slow = service.deliver(input());
    await waitUntil(() => send.mock.calls.length === 1);
    await expect(service.deliver(input())).rejects.toBeInstanceOf(EmailInFlightError);
    finish();
    await expect(slow).resolves.toMatchObject({ duplicate: false });
    await expect(service.deliver(input())).resolves.toMatchObject({ duplicate: true });
    expect(send).toHaveBeenCalledTimes(1);
  });

  it('sends again once the lease of an attempt that died mid-send has run out', async () => {
    const { service, send, ledger } = setup(() => new Promise<void>(() => undefined)); // the attempt that dies
    void service.deliver(input());
    await waitUntil(() => send.mock.calls.length === 1);
    await expect(service.deliver(input())).rejects.toBeInstanceOf(EmailInFlightError);
    ledger.now += config.SMTP_SEND_LEASE_SECONDS * 1000 + 1;
    send.mockImplementation(async () => undefined);
    await expect(service.deliver(input())).resolves.toMatchObject({ duplicate: false });
    expect(send).toHaveBeenCalledTimes(2);
  });
});

describe('account emails (recorded, then sent by a workflow that knows only the key)', () => {
  const token = 'h2Q0v9mZs3xJ1bqWk7Yt5cN8fR4eL6uA0dG2pS9iT3o';
  const reset: QueueAccountEmailCommand = {
    idempotencyKey: 'password-reset/6a0f4c1e-8c1a-4d0e-9d69-4f1b8e6c2a10',
    to: { email: 'jane@example.com', displayName: 'Jane Doe' },
    template: 'password-reset',
    data: { loginId: 'jane.doe', token, expiresAt: '2026-11-23T14:30:00.000Z' },
  };

  it('sends the link once, and keeps the email afterwards only without its token', async () => {
    const { service, send, ledger } = setup();
    await service.record(reset);
    expect(ledger.rows.get(reset.idempotencyKey)!.text).toContain(`https://am.example/reset-password#token=${token}`);
    expect(ledger.notices.size).toBe(0);
    await service.sendRecorded(reset.idempotencyKey);
    await service.record(reset);
    await expect(service.sendRecorded(reset.idempotencyKey)).resolves.toMatchObject({ duplicate: true });
    expect(send).toHaveBeenCalledTimes(1);
    const sent = (send.mock.calls[0] as unknown[])[1] as { text: string; html: string };
    expect(sent.text).toContain(`#token=${token}`);
    expect(sent.html).toContain(`#token&#x3D;${token}`);
    const kept = ledger.rows.get(reset.idempotencyKey)!;
    expect(kept.text + kept.html).not.toContain(token);
    expect(kept.text).toContain('https://am.example/reset-password#token=removed-after-sending');
  });

  it('refuses to send an email that was never recorded', async () => {
    const { service } = setup();
    await expect(service.sendRecorded('password-reset/none')).rejects.toBeInstanceOf(EmailNotRecordedError);
  });
});

/** Lets pending promise callbacks run until `cond` holds (no timers involved). */
async function waitUntil(cond: () => boolean): Promise<void> {
  for (let i = 0; i < 100 && !cond(); i++) await Promise.resolve();
  if (!cond()) throw new Error('condition never held');
}
