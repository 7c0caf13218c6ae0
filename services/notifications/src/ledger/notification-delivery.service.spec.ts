import type { QueueAccountEmailCommand } from '@am/contracts';
import type { NotificationInput } from '@am/workflow-contracts';
import { loadNotificationsConfig } from '../config/notifications.config';
import type { Mailer } from '../email/mailer';
import type { Claim, EmailLedgerRepository, LedgerEntry, NewNotice, Outcome, Recording } from './email-ledger.repository';
import { EmailInFlightError, EmailNotRecordedError, NotificationDeliveryService } from './notification-delivery.service';

type Row = LedgerEntry & { state: 'PENDING' | 'SENT'; attempts: number; claimedUntil: number | null; lastError: string | null };

/**
 * An in-memory ledger with the repository's semantics (insert-once, claim under a lease, settle
 * fenced by the attempt), counting its calls: each call is one SQL statement in the repository.
 */
class FakeLedger {
  rows = new Map<string, Row>();
  notices = new Map<string, NewNotice>();
  now = 1_000_000;
  calls: string[] = [];

  private insert({ entry, notice }: Recording): void {
    if (!this.rows.has(entry.idempotencyKey)) this.rows.set(entry.idempotencyKey, { ...entry, state: 'PENDING', attempts: 0, claimedUntil: null, lastError: null });
    if (notice && !this.notices.has(notice.idempotencyKey)) this.notices.set(notice.idempotencyKey, notice);
  }
  private take(key: string, leaseMs: number): Claim {
    const r = this.rows.get(key);
    if (!r) return { key, status: 'missing' };
    if (r.state === 'SENT') return { key, status: 'sent', messageId: r.messageId };
    if (r.claimedUntil !== null && r.claimedUntil >= this.now) return { key, status: 'busy' };
    r.claimedUntil = this.now + leaseMs;
    r.attempts++;
    const email: LedgerEntry = { idempotencyKey: r.idempotencyKey, template: r.template, toEmail: r.toEmail, toName: r.toName, subject: r.subject, text: r.text, html: r.html, messageId: r.messageId };
    return { key, status: 'claimed', email, attempt: r.attempts };
  }
  async recordAndClaim(recordings: Recording[], leaseMs: number): Promise<Claim[]> {
    this.calls.push('recordAndClaim');
    expect(new Set(recordings.map((r) => r.entry.idempotencyKey)).size).toBe(recordings.length); // the SQL needs unique keys
    return recordings.map((r) => (this.insert(r), this.take(r.entry.idempotencyKey, leaseMs)));
  }
  async record(recordings: Recording[]): Promise<void> {
    this.calls.push('record');
    recordings.forEach((r) => this.insert(r));
  }
  async recordNotices(notices: NewNotice[]): Promise<void> {
    this.calls.push('recordNotices');
    for (const n of notices) if (!this.notices.has(n.idempotencyKey)) this.notices.set(n.idempotencyKey, n);
  }
  async claim(key: string, leaseMs: number): Promise<Claim> {
    this.calls.push('claim');
    return this.take(key, leaseMs);
  }
  async settle(outcomes: Outcome[]): Promise<void> {
    if (!outcomes.length) return; // as the repository: no statement for nothing
    this.calls.push('settle');
    for (const o of outcomes) {
      const r = this.rows.get(o.key)!;
      if (o.sent) Object.assign(r, { state: 'SENT', claimedUntil: null, lastError: null, text: o.text, html: o.html });
      else if (r.state === 'PENDING' && r.attempts === o.attempt) Object.assign(r, { claimedUntil: null, lastError: o.error });
    }
  }
}

const config = loadNotificationsConfig({ DATABASE_URL: 'postgresql://unused/db', WEB_BASE_URL: 'https://am.example/' });
const input = (over: Partial<NotificationInput['to']> = {}, key = 'role-request-r1/decided/requester'): NotificationInput => ({
  idempotencyKey: key,
  to: { email: 't@example.com', displayName: 'Thomas Miller', userId: '6f1c1f9e-8d35-4a57-9a58-0f4f2f0c1a11', ...over },
  template: 'request-decided',
  data: { requestId: 'r1', decision: 'DENIED', role: 'STAFF_USER', organizationName: 'Acme Clinic, LLC', deciderName: 'Elizabeth Blackwell', reason: 'Not on staff' },
});

function setup(sendImpl: (to: { email: string }) => Promise<void> = async () => undefined) {
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
    expect(ledger.rows.get(input().idempotencyKey)).toMatchObject({ state: 'PENDING', attempts: 2, claimedUntil: null, lastError: 'connect ECONNREFUSED 127.0.0.1:1025' });
    up = true;
    const sent = await service.deliver(input());
    await service.deliver(input());
    expect(send).toHaveBeenCalledTimes(3); // two failed tries and the one that went through; none after SENT
    const ids = send.mock.calls.map((c) => (c as unknown[])[3]);
    expect(new Set(ids)).toEqual(new Set([sent.messageId]));
    expect(ledger.rows.get(input().idempotencyKey)).toMatchObject({ state: 'SENT', attempts: 3, lastError: null });
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

  it('records only the in-app notice of a notice left to the daily digest, and sends the others (issue 19)', async () => {
    const { service, send, ledger } = setup();
    const digested: NotificationInput = {
      idempotencyKey: 'role-request-r2/submitted/approver/a1',
      to: { email: 'so@example.com', displayName: 'Sam Official', userId: '0e7b8c35-5a4b-4f0e-9d7d-3b4e0d1f2a01' },
      digest: true,
      template: 'request-submitted-approver',
      data: { requestId: 'r2', role: 'STAFF_USER', organizationName: 'Acme Clinic, LLC', requesterName: 'Thomas Miller', justification: null },
    };
    const results = await service.deliverAll([digested, input()]);
    expect(results[0]).toEqual({ messageId: '', duplicate: false });
    expect(results[1]).toMatchObject({ duplicate: false });
    expect(send).toHaveBeenCalledTimes(1);
    expect(send.mock.calls[0]![0]).toMatchObject({ email: 't@example.com' });
    expect(ledger.rows.has(digested.idempotencyKey)).toBe(false);
    expect(ledger.notices.get(digested.idempotencyKey)).toMatchObject({ kind: 'request-submitted-approver', title: 'Thomas Miller requests the Staff User role at Acme Clinic, LLC' });
    // A retry records no second notice and still sends no email.
    await service.deliverAll([digested]);
    expect(send).toHaveBeenCalledTimes(1);
    expect([...ledger.notices.keys()].filter((k) => k === digested.idempotencyKey)).toHaveLength(1);
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

describe('NotificationDeliveryService decisions (one ledger statement before sending, one after)', () => {
  it('a first delivery records and claims in one call, sends what was claimed, and settles it SENT in one call', async () => {
    const { service, send, ledger } = setup();
    await service.deliver(input());
    expect(ledger.calls).toEqual(['recordAndClaim', 'settle']);
    const [to, email, key, messageId] = send.mock.calls[0] as unknown[];
    expect(to).toEqual({ email: 't@example.com', displayName: 'Thomas Miller' });
    expect(email).toMatchObject({ subject: expect.any(String), text: expect.any(String), html: expect.any(String) });
    expect([key, messageId]).toEqual([input().idempotencyKey, ledger.rows.get(input().idempotencyKey)!.messageId]);
  });

  it('a notice found SENT is answered in one call, with its Message-ID and nothing sent or settled', async () => {
    const { service, send, ledger } = setup();
    const first = await service.deliver(input());
    ledger.calls = [];
    await expect(service.deliver(input())).resolves.toEqual({ messageId: first.messageId, duplicate: true });
    expect(ledger.calls).toEqual(['recordAndClaim']);
    expect(send).toHaveBeenCalledTimes(1);
  });

  it('what was recorded first goes out, not what a later rendering says', async () => {
    const { service, send, ledger } = setup(async () => {
      throw new Error('SMTP down');
    });
    await expect(service.deliver(input())).rejects.toThrow('SMTP down');
    const recorded = ledger.rows.get(input().idempotencyKey)!;
    await expect(service.deliver(input({ displayName: 'Renamed Meanwhile', email: 'new@example.com' }))).rejects.toThrow('SMTP down');
    expect((send.mock.calls[1] as unknown[])[0]).toEqual({ email: recorded.toEmail, displayName: recorded.toName });
    expect((send.mock.calls[1] as unknown[])[1]).toMatchObject({ text: recorded.text });
  });

  it('a failed attempt whose lease ran out does not free the claim of the attempt that took over', async () => {
    let failFirst!: (e: Error) => void;
    let calls = 0;
    const { service, ledger } = setup(() => (++calls === 1 ? new Promise<void>((_, reject) => (failFirst = reject)) : new Promise<void>(() => undefined)));
    const first = service.deliver(input());
    await waitUntil(() => calls === 1);
    ledger.now += config.SMTP_SEND_LEASE_SECONDS * 1000 + 1; // the first attempt is too slow: its lease runs out
    void service.deliver(input()); // a retry takes over, and is sending
    await waitUntil(() => calls === 2);
    failFirst(new Error('socket timeout'));
    await expect(first).rejects.toThrow('socket timeout');
    expect(ledger.rows.get(input().idempotencyKey)).toMatchObject({ state: 'PENDING', attempts: 2, claimedUntil: ledger.now + config.SMTP_SEND_LEASE_SECONDS * 1000 });
    await expect(service.deliver(input())).rejects.toBeInstanceOf(EmailInFlightError);
  });

  it('a batch records and claims all in one call and settles all in one call; one failure does not hold back the others', async () => {
    const { service, send, ledger } = setup(async (to) => {
      if (to.email === 'down@example.com') throw new Error('mailbox unavailable');
    });
    const a = input({}, 'k/a');
    const b = input({ email: 'down@example.com' }, 'k/b');
    const c = input({}, 'k/c');
    await expect(service.deliverAll([a, b, c])).rejects.toThrow('mailbox unavailable');
    expect(ledger.calls).toEqual(['recordAndClaim', 'settle']);
    expect(send).toHaveBeenCalledTimes(3);
    expect([...ledger.rows.values()].map((r) => [r.idempotencyKey, r.state, r.claimedUntil])).toEqual([
      ['k/a', 'SENT', null],
      ['k/b', 'PENDING', null],
      ['k/c', 'SENT', null],
    ]);
    expect(ledger.notices.size).toBe(3);

    // The retry of the activity sends only the one that failed.
    send.mockImplementation(async () => undefined);
    ledger.calls = [];
    const results = await service.deliverAll([a, b, c]);
    expect(results.map((r) => r.duplicate)).toEqual([true, false, true]);
    expect(ledger.calls).toEqual(['recordAndClaim', 'settle']);
    expect(send).toHaveBeenCalledTimes(4);
    expect((send.mock.calls[3] as unknown[])[2]).toBe('k/b');
  });

  it('a batch naming one key twice sends it once and answers both', async () => {
    const { service, send } = setup();
    const results = await service.deliverAll([input(), input()]);
    expect(send).toHaveBeenCalledTimes(1);
    expect(results).toEqual([results[0], results[0]]);
  });

  it('a batch with a notice another attempt holds sends the rest, then fails so that the retry finds it', async () => {
    let finish!: () => void;
    const { service, send, ledger } = setup(() => (send.mock.calls.length === 1 ? new Promise<void>((resolve) => (finish = resolve)) : Promise.resolve()));
    const slow = service.deliver(input({}, 'k/held'));
    await waitUntil(() => send.mock.calls.length === 1);
    await expect(service.deliverAll([input({}, 'k/held'), input({}, 'k/free')])).rejects.toBeInstanceOf(EmailInFlightError);
    expect(ledger.rows.get('k/free')!.state).toBe('SENT');
    finish();
    await slow;
    await expect(service.deliverAll([input({}, 'k/held'), input({}, 'k/free')])).resolves.toEqual([
      expect.objectContaining({ duplicate: true }),
      expect.objectContaining({ duplicate: true }),
    ]);
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
    expect(ledger.calls).toEqual(['record']);
    expect(ledger.rows.get(reset.idempotencyKey)!.text).toContain(`https://am.example/reset-password#token=${token}`);
    expect(ledger.rows.get(reset.idempotencyKey)).toMatchObject({ state: 'PENDING', attempts: 0, claimedUntil: null });
    expect(ledger.notices.size).toBe(0);
    await service.sendRecorded(reset.idempotencyKey);
    expect(ledger.calls).toEqual(['record', 'claim', 'settle']);
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
    const { service, send } = setup();
    await expect(service.sendRecorded('password-reset/none')).rejects.toBeInstanceOf(EmailNotRecordedError);
    expect(send).not.toHaveBeenCalled();
  });

  it('an account email another attempt is sending is in flight, not sent twice', async () => {
    let finish!: () => void;
    const { service, send } = setup(() => new Promise<void>((resolve) => (finish = resolve)));
    await service.record(reset);
    const first = service.sendRecorded(reset.idempotencyKey);
    await waitUntil(() => send.mock.calls.length === 1);
    await expect(service.sendRecorded(reset.idempotencyKey)).rejects.toBeInstanceOf(EmailInFlightError);
    finish();
    await expect(first).resolves.toMatchObject({ duplicate: false });
    expect(send).toHaveBeenCalledTimes(1);
  });
});

/** Lets pending promise callbacks run until `cond` holds (no timers involved). */
async function waitUntil(cond: () => boolean): Promise<void> {
  for (let i = 0; i < 100 && !cond(); i++) await Promise.resolve();
  if (!cond()) throw new Error('condition never held');
}
