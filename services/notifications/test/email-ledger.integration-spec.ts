// The email ledger against the real PostgreSQL and the real SMTP server (MailDev) of the
// integration run, with "workers" built in this process: each its own connection pool, mailer
// and delivery service, as two notifications processes would have. Shows exactly once where it is
// hard: two workers racing on one key, a worker that died holding a claim, a worker killed after
// the SMTP server accepted but before the SENT mark, and the mail server down; and counts the SQL
// statements one notice costs.
import { randomBytes, randomUUID } from 'node:crypto';
import { Client } from 'pg';
import type { NotificationInput } from '@am/workflow-contracts';
import { loadNotificationsConfig } from '../src/config/notifications.config';
import { migrateUp } from '../src/db/migrate';
import { Mailer } from '../src/email/mailer';
import { EmailLedgerRepository } from '../src/ledger/email-ledger.repository';
import { EmailInFlightError, NotificationDeliveryService, type DeliveryResult } from '../src/ledger/notification-delivery.service';
import { PrismaService } from '../src/prisma/prisma.service';

/** What global setup started (test/setup/global-setup.ts publishes it in AM_TEST_STACK). */
function testStack(): { databaseUrl: string; smtpUrl: string; mailWebUrl: string } {
  const raw = process.env.AM_TEST_STACK;
  if (!raw) throw new Error('The integration stack is not running: run this through jest (npm test)');
  return JSON.parse(raw) as { databaseUrl: string; smtpUrl: string; mailWebUrl: string };
}

/** A message the SMTP server (MailDev) kept: its headers are what tells one notice from another. */
interface CaughtMessage {
  headers: Record<string, string>;
}
const mailbox = {
  async messages(): Promise<CaughtMessage[]> {
    const res = await fetch(`${testStack().mailWebUrl}/api/email`);
    if (!res.ok) throw new Error(`MailDev answered ${res.status}`);
    return (await res.json()) as CaughtMessage[];
  },
};

/** One query on a connection of its own (the test reads the record of truth with it). */
async function query<T extends Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> {
  const c = new Client({ connectionString: testStack().databaseUrl });
  await c.connect();
  try {
    return (await c.query<T>(sql, params)).rows;
  } finally {
    await c.end();
  }
}

/** Checks `check` every `intervalMs` until it answers a value; a thrown error counts as "not yet". (This package may not use the test tooling of libs/devstack.) */
async function waitFor<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 30_000, intervalMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v !== undefined) return v;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}${lastError instanceof Error ? `: ${lastError.message}` : ''}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

// Every statement a pg client of this process sends, while `counting` (the pool under Prisma's adapter is pg's).
const statements: string[] = [];
let counting = false;
const clientQuery = Client.prototype.query;
Client.prototype.query = function (this: Client, ...args: unknown[]) {
  if (counting) statements.push(typeof args[0] === 'string' ? args[0] : String((args[0] as { text?: string })?.text));
  return (clientQuery as (...a: unknown[]) => unknown).apply(this, args);
} as typeof Client.prototype.query;

async function count(fn: () => Promise<unknown>): Promise<number> {
  statements.length = 0;
  counting = true;
  try {
    await fn();
  } finally {
    counting = false;
  }
  return statements.length;
}

interface LedgerRow extends Record<string, unknown> {
  idempotency_key: string;
  state: string;
  attempts: number;
  claimed_until: Date | null;
  last_error: string | null;
  message_id: string;
}

describe('the email ledger on PostgreSQL and SMTP', () => {
  const schema = `ledger_it_${randomBytes(4).toString('hex')}`;
  const run = randomBytes(4).toString('hex'); // this run's keys, among everything else in the shared mailbox
  const stops: (() => Promise<void>)[] = [];
  let nextKey = 0;

  beforeAll(async () => {
    await migrateUp(testStack().databaseUrl, schema);
  }, 60_000);

  afterAll(async () => {
    await Promise.all(stops.map((stop) => stop()));
    await query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  });

  /** One notifications worker: its own pool, mailer and service; `mailer` and `ledger` replace the real ones to play a worker that dies. */
  function worker(o: { leaseSeconds?: number; smtpUrl?: string; mailer?: (real: Mailer) => Mailer; ledger?: (real: EmailLedgerRepository) => EmailLedgerRepository } = {}) {
    const config = loadNotificationsConfig({
      DATABASE_URL: testStack().databaseUrl,
      DATABASE_SCHEMA: schema,
      DATABASE_POOL_MAX: '4',
      SMTP_URL: o.smtpUrl ?? testStack().smtpUrl,
      SMTP_SEND_LEASE_SECONDS: String(o.leaseSeconds ?? 120),
    });
    const prisma = new PrismaService(config);
    const mailer = new Mailer(config);
    stops.push(async () => {
      mailer.onApplicationShutdown();
      await prisma.$disconnect();
    });
    const ledger = new EmailLedgerRepository(prisma, config);
    return new NotificationDeliveryService(config, o.ledger?.(ledger) ?? ledger, o.mailer?.(mailer) ?? mailer);
  }

  const notice = (userId: string | null = randomUUID()): NotificationInput => ({
    idempotencyKey: `ledger-it-${run}/${++nextKey}`,
    to: { email: `n${nextKey}@example.com`, displayName: 'Nora Notice', ...(userId ? { userId } : {}) },
    template: 'request-decided',
    data: { requestId: randomUUID(), decision: 'APPROVED', role: 'STAFF_USER', organizationName: 'Ledger Clinic', deciderName: 'Dana Decider', reason: null },
  });

  const ledgerRows = (keys: string[]) =>
    query<LedgerRow>(`SELECT idempotency_key, state, attempts, claimed_until, last_error, message_id FROM "${schema}".email_ledger WHERE idempotency_key = ANY($1) ORDER BY idempotency_key`, [keys]);
  const noticeCount = async (keys: string[]) =>
    (await query<{ n: number }>(`SELECT count(*)::int AS n FROM "${schema}".notices WHERE idempotency_key = ANY($1)`, [keys]))[0].n;

  /** The messages the SMTP server holds for `keys`, once each key has at least one. */
  async function messagesFor(keys: string[]): Promise<CaughtMessage[]> {
    return waitFor(`the emails of ${keys.length} key(s) at the SMTP server`, async () => {
      const msgs = (await mailbox.messages()).filter((m) => keys.includes(m.headers['x-idempotency-key']));
      return new Set(msgs.map((m) => m.headers['x-idempotency-key'])).size === keys.length ? msgs : undefined;
    });
  }

  /** What Temporal does with an attempt that found the email in flight: retries it until it is not. */
  async function retryWhileInFlight(what: string, attempt: () => Promise<DeliveryResult[]>): Promise<DeliveryResult[]> {
    const r = await waitFor(
      what,
      async () => {
        try {
          return { value: await attempt() };
        } catch (err) {
          return err instanceof EmailInFlightError ? undefined : { error: err };
        }
      },
      30_000,
      100,
    );
    if ('error' in r) throw r.error;
    return r.value;
  }

  it('costs two statements for a notice, one for its retry, two for a batch, and 1 + 2 for an account email', async () => {
    const w = worker();
    await w.deliver(notice()); // connects the pool
    const one = notice();
    expect(await count(() => w.deliver(one))).toBe(2); // record + claim, then SENT
    expect(await count(() => w.deliver(one))).toBe(1); // found SENT
    const batch = [notice(), notice(), notice(null), notice()];
    expect(await count(() => w.deliverAll(batch))).toBe(2);
    expect(await count(() => w.deliverAll(batch))).toBe(1);
    const reset = { idempotencyKey: `password-reset/${run}-${randomUUID()}`, to: { email: 'r@example.com', displayName: 'R' }, template: 'password-reset' as const, data: { loginId: 'r', token: 'x'.repeat(43), expiresAt: '2026-11-23T14:30:00.000Z' } };
    expect(await count(() => w.record(reset))).toBe(1);
    expect(await count(() => w.sendRecorded(reset.idempotencyKey))).toBe(2);
    expect(await count(() => w.sendRecorded(reset.idempotencyKey))).toBe(1);

    const keys = [one, ...batch].map((n) => n.idempotencyKey);
    expect((await ledgerRows(keys)).map((r) => [r.state, r.attempts])).toEqual(keys.map(() => ['SENT', 1]));
    expect(await noticeCount(keys)).toBe(4); // the one without a user id has none
    expect(await messagesFor(keys)).toHaveLength(keys.length);
  });

  it('sends one SMTP message when two workers race on the same key, notice by notice and batch against batch', async () => {
    const [a, b] = [worker(), worker()];
    const singles = Array.from({ length: 8 }, () => notice());
    const batch = [notice(), notice(), notice()];
    const races = [
      ...singles.map((n) => [() => a.deliverAll([n]), () => b.deliverAll([n])]),
      [() => a.deliverAll(batch), () => b.deliverAll([...batch].reverse())],
    ];
    const outcomes = await Promise.all(races.map((pair) => Promise.allSettled(pair.map((go) => go()))));
    const contended = outcomes.filter((settled) => settled.some((s) => s.status === 'rejected')).length;
    console.log(`${contended} of ${races.length} races met the other worker's live claim; the rest found the email SENT`);
    for (const settled of outcomes) {
      // Whoever lost the race was told so (in flight), or found the email SENT already: never a second send.
      for (const s of settled) if (s.status === 'rejected') expect(s.reason).toBeInstanceOf(EmailInFlightError);
    }
    // Temporal retries each attempt that found the email in flight; the retry finds it SENT.
    const retried = await Promise.all(
      races.flatMap((pair, i) => outcomes[i].flatMap((s, j) => (s.status === 'rejected' ? [retryWhileInFlight(`the retry of race ${i}`, pair[j])] : []))),
    );
    for (const results of retried) for (const r of results) expect(r.duplicate).toBe(true);
    const fresh = outcomes.flatMap((settled) => settled.flatMap((s) => (s.status === 'fulfilled' ? s.value.filter((r) => !r.duplicate) : [])));
    const keys = [...singles, ...batch].map((n) => n.idempotencyKey);
    expect(fresh).toHaveLength(keys.length); // one attempt sent each email

    // One claim each (the ledger counts them), and one message each at the SMTP server.
    const rows = await ledgerRows(keys);
    expect(rows.map((r) => [r.state, r.attempts])).toEqual(keys.map(() => ['SENT', 1]));
    const msgs = await messagesFor(keys);
    expect(msgs.map((m) => m.headers['x-idempotency-key']).sort()).toEqual([...keys].sort());
    const idOf = new Map(rows.map((r) => [r.idempotency_key, r.message_id]));
    for (const m of msgs) expect(m.headers['message-id']).toBe(idOf.get(m.headers['x-idempotency-key']));
    expect(await noticeCount(keys)).toBe(keys.length);
  });

  it('takes over the claim of a worker that died before sending once its lease runs out, and sends once', async () => {
    let claimed!: () => void;
    const sending = new Promise<void>((resolve) => (claimed = resolve));
    // This worker claims with a short lease and dies in the middle of its SMTP exchange: nothing reaches the server.
    const dead = worker({ leaseSeconds: 3, mailer: () => ({ send: () => (claimed(), new Promise<string>(() => undefined)) }) as unknown as Mailer });
    const live = worker();
    const n = notice();
    void dead.deliver(n);
    await sending;
    await expect(live.deliver(n)).rejects.toBeInstanceOf(EmailInFlightError); // the claim is alive
    const [taken] = await retryWhileInFlight('the lease of the dead worker to run out', () => live.deliverAll([n]));
    expect(taken.duplicate).toBe(false);
    await expect(live.deliver(n)).resolves.toEqual({ messageId: taken.messageId, duplicate: true });

    expect(await ledgerRows([n.idempotencyKey])).toEqual([expect.objectContaining({ state: 'SENT', attempts: 2, claimed_until: null })]);
    const msgs = await messagesFor([n.idempotencyKey]);
    expect(msgs).toHaveLength(1);
    expect(msgs[0].headers['message-id']).toBe(taken.messageId);
  });

  it('resends after the lease, under the same Message-ID, what a worker killed between the SMTP server’s acceptance and the SENT mark had sent', async () => {
    let accepted!: () => void;
    const killed = new Promise<void>((resolve) => (accepted = resolve));
    // This worker sends for real, then dies before its SENT mark reaches the database.
    const dead = worker({
      leaseSeconds: 3,
      ledger: (real) => Object.assign(Object.create(real) as EmailLedgerRepository, { settle: () => (accepted(), new Promise<void>(() => undefined)) }),
    });
    const live = worker();
    const n = notice();
    void dead.deliver(n);
    await killed;
    await expect(live.deliver(n)).rejects.toBeInstanceOf(EmailInFlightError);
    const [resent] = await retryWhileInFlight('the lease of the killed worker to run out', () => live.deliverAll([n]));
    expect(resent.duplicate).toBe(false);

    // SMTP has no idempotency of its own: the copy carries the same Message-ID and
    // X-Idempotency-Key, so a receiver tells it from a second notice; the ledger says SENT once.
    const msgs = await waitFor('both copies at the SMTP server', async () => {
      const mine = (await mailbox.messages()).filter((m) => m.headers['x-idempotency-key'] === n.idempotencyKey);
      return mine.length === 2 ? mine : undefined;
    });
    expect(msgs.map((m) => m.headers['message-id'])).toEqual([resent.messageId, resent.messageId]);
    expect(await ledgerRows([n.idempotencyKey])).toEqual([expect.objectContaining({ state: 'SENT', attempts: 2 })]);
  });

  it('with the mail server down, records the notice, gives the claim back with the error, and the next attempt sends at once', async () => {
    const down = worker({ smtpUrl: 'smtp://127.0.0.1:9' }); // nothing listens on the discard port
    const up = worker();
    const n = notice();
    await expect(down.deliver(n)).rejects.toThrow();
    expect(await noticeCount([n.idempotencyKey])).toBe(1); // the in-app notice does not wait for the mail server
    const [row] = await ledgerRows([n.idempotencyKey]);
    expect(row).toMatchObject({ state: 'PENDING', attempts: 1, claimed_until: null, last_error: expect.stringMatching(/ECONNREFUSED/) });
    await expect(up.deliver(n)).resolves.toMatchObject({ duplicate: false }); // no lease to wait for
    expect(await ledgerRows([n.idempotencyKey])).toEqual([expect.objectContaining({ state: 'SENT', attempts: 2, last_error: null })]);
    expect(await messagesFor([n.idempotencyKey])).toHaveLength(1);
  });
});
