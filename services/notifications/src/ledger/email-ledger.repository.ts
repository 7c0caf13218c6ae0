import { Inject, Injectable } from '@nestjs/common';
import { NOTIFICATIONS_CONFIG, type NotificationsConfig } from '../config/notifications.config';
import { Prisma } from '../generated/prisma/client';
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
export interface NewNotice {
  idempotencyKey: string;
  userId: string;
  kind: string;
  title: string;
  body: string;
  link: string;
  popup: boolean;
}
/** An email and, for a user, the in-app notice that goes with it, under the same key. */
export interface Recording {
  entry: LedgerEntry;
  notice: NewNotice | null;
}

/**
 * What a claim found for one key.
 * - `claimed`: this attempt holds the email until its lease runs out and must send `email` (what
 *   was recorded first); `attempt` is the claim's number, the fencing token of `settle`.
 * - `sent`: an earlier attempt had the SMTP server accept it; nothing is to be sent.
 * - `busy`: another attempt holds a live claim (or recorded it a moment ago); retry later.
 * - `missing`: nothing is recorded under the key (only `claim` can find that).
 */
export type Claim =
  | { key: string; status: 'claimed'; email: LedgerEntry; attempt: number }
  | { key: string; status: 'sent'; messageId: string }
  | { key: string; status: 'busy' }
  | { key: string; status: 'missing' };

/** How a claimed attempt ended: accepted by the SMTP server (the parts as they may be kept), or failed. */
export type Outcome =
  | { key: string; attempt: number; sent: true; text: string; html: string }
  | { key: string; attempt: number; sent: false; error: string };

interface ClaimRow {
  idempotency_key: string;
  template: string;
  to_email: string;
  to_name: string;
  subject: string;
  text: string;
  html: string;
  message_id: string;
  state: string;
  attempts: number;
  claimed: boolean;
}

const toClaim = (r: ClaimRow): Claim => {
  if (r.claimed) {
    const email = { idempotencyKey: r.idempotency_key, template: r.template, toEmail: r.to_email, toName: r.to_name, subject: r.subject, text: r.text, html: r.html, messageId: r.message_id };
    return { key: r.idempotency_key, status: 'claimed', email, attempt: r.attempts };
  }
  return r.state === 'SENT' ? { key: r.idempotency_key, status: 'sent', messageId: r.message_id } : { key: r.idempotency_key, status: 'busy' };
};

/**
 * The email ledger: one row per email key, PENDING until the SMTP server accepted it, then SENT.
 * A claim is a lease on a PENDING row (claimed_until, in the database's clock): while it lasts no
 * other attempt sends the email; an attempt that died holding it is taken over once it runs out.
 * Every method is one SQL statement (atomic on its own, so no transaction around it), whatever
 * the number of emails it is given:
 * - `recordAndClaim`: records the emails and their in-app notices, and claims those that are free;
 * - `record`: records only (an account email, sent later by a workflow that knows only the key);
 * - `recordNotices`: records in-app notices that have no email (left to the daily digest);
 * - `claim`: claims a recorded email;
 * - `settle`: marks the sent ones SENT and gives the claims of the failed ones back.
 */
@Injectable()
export class EmailLedgerRepository {
  private readonly ledger: Prisma.Sql;
  private readonly notices: Prisma.Sql;

  constructor(
    private readonly prisma: PrismaService,
    @Inject(NOTIFICATIONS_CONFIG) config: Pick<NotificationsConfig, 'DATABASE_SCHEMA'>,
  ) {
    // Raw SQL is not qualified by the adapter's schema option: name the tables in full. The schema
    // name is a checked lower-case identifier (the config's regex), so quoting it is enough.
    if (!/^[a-z_][a-z0-9_]{0,62}$/.test(config.DATABASE_SCHEMA)) throw new Error(`Invalid schema name: ${config.DATABASE_SCHEMA}`);
    this.ledger = Prisma.raw(`"${config.DATABASE_SCHEMA}"."email_ledger"`);
    this.notices = Prisma.raw(`"${config.DATABASE_SCHEMA}"."notices"`);
  }

  /** The in-app notices of `recordings`, inserted once each, as a data-modifying CTE `notice`. */
  private noticeCte(recordings: Pick<Recording, 'notice'>[]): Prisma.Sql {
    const n = recordings.flatMap((r) => (r.notice ? [r.notice] : []));
    return Prisma.sql`notice AS (
      INSERT INTO ${this.notices} (id, idempotency_key, user_id, kind, title, body, link, popup)
      SELECT gen_random_uuid(), n.* FROM unnest(
        ${n.map((x) => x.idempotencyKey)}::text[], ${n.map((x) => x.userId)}::uuid[], ${n.map((x) => x.kind)}::text[], ${n.map((x) => x.title)}::text[],
        ${n.map((x) => x.body)}::text[], ${n.map((x) => x.link)}::text[], ${n.map((x) => x.popup)}::boolean[]
      ) AS n(idempotency_key, user_id, kind, title, body, link, popup)
      ORDER BY n.idempotency_key
      ON CONFLICT (idempotency_key) DO NOTHING
    )`;
  }

  /** The ledger rows of `recordings` (keys unique), as a CTE `input`. */
  private inputCte(recordings: Recording[]): Prisma.Sql {
    const e = recordings.map((r) => r.entry);
    return Prisma.sql`input AS (
      SELECT * FROM unnest(
        ${e.map((x) => x.idempotencyKey)}::text[], ${e.map((x) => x.template)}::text[], ${e.map((x) => x.toEmail)}::text[], ${e.map((x) => x.toName)}::text[],
        ${e.map((x) => x.subject)}::text[], ${e.map((x) => x.text)}::text[], ${e.map((x) => x.html)}::text[], ${e.map((x) => x.messageId)}::text[]
      ) AS i(idempotency_key, template, to_email, to_name, subject, text, html, message_id)
    )`;
  }

  /**
   * Records each email (with its in-app notice) unless an earlier attempt did, and claims each one
   * that is PENDING and free (never claimed, given back, or its lease run out) for `leaseMs`; one
   * statement for all. A claimed email comes back as first recorded, which is what goes out.
   * Keys must be unique. Rows are written in key order, so two batches sharing keys lock them in
   * the same order and never deadlock.
   */
  async recordAndClaim(recordings: Recording[], leaseMs: number): Promise<Claim[]> {
    if (!recordings.length) return [];
    // ON CONFLICT DO UPDATE locks the row it conflicts with and tests the WHERE on its newest
    // version: of two attempts racing on one key, exactly one claims it. The final SELECT reads
    // the statement's snapshot: a key neither claimed nor seen there was recorded (and claimed)
    // by an attempt that committed meanwhile, so it is busy.
    const rows = await this.prisma.$queryRaw<ClaimRow[]>`
      WITH ${this.inputCte(recordings)}, ${this.noticeCte(recordings)},
      claimed AS (
        INSERT INTO ${this.ledger} AS e (idempotency_key, template, to_email, to_name, subject, text, html, message_id, attempts, claimed_until)
        SELECT i.*, 1, now() + ${leaseMs}::int * interval '1 millisecond' FROM input i ORDER BY i.idempotency_key
        ON CONFLICT (idempotency_key) DO UPDATE SET attempts = e.attempts + 1, claimed_until = EXCLUDED.claimed_until
          WHERE e.state = 'PENDING' AND (e.claimed_until IS NULL OR e.claimed_until < now())
        RETURNING e.idempotency_key, e.template, e.to_email, e.to_name, e.subject, e.text, e.html, e.message_id, e.state, e.attempts
      )
      SELECT c.*, true AS claimed FROM claimed c
      UNION ALL
      SELECT e.idempotency_key, e.template, e.to_email, e.to_name, e.subject, e.text, e.html, e.message_id, e.state, e.attempts, false AS claimed
        FROM ${this.ledger} e JOIN input i USING (idempotency_key)
       WHERE NOT EXISTS (SELECT 1 FROM claimed c WHERE c.idempotency_key = e.idempotency_key)`;
    const found = new Map(rows.map((r) => [r.idempotency_key, toClaim(r)]));
    return recordings.map(({ entry: { idempotencyKey: key } }) => found.get(key) ?? { key, status: 'busy' });
  }

  /** Records each email (with its in-app notice) unless an earlier attempt did, without claiming it; one statement. */
  async record(recordings: Recording[]): Promise<void> {
    if (!recordings.length) return;
    await this.prisma.$executeRaw`
      WITH ${this.inputCte(recordings)}, ${this.noticeCte(recordings)}
      INSERT INTO ${this.ledger} (idempotency_key, template, to_email, to_name, subject, text, html, message_id)
      SELECT * FROM input ORDER BY idempotency_key
      ON CONFLICT (idempotency_key) DO NOTHING`;
  }

  /** Records in-app notices without an email (issue 19: left to the daily digest), once each; one statement. */
  async recordNotices(notices: NewNotice[]): Promise<void> {
    if (!notices.length) return;
    const recordings = notices.map((notice) => ({ notice, entry: null }));
    await this.prisma.$executeRaw`WITH ${this.noticeCte(recordings)} SELECT 1`;
  }

  /** Claims the recorded email under `key` for `leaseMs` when it is PENDING and free; one statement. */
  async claim(key: string, leaseMs: number): Promise<Claim> {
    // An UPDATE that meets a row being changed waits, then tests its WHERE on the newest version.
    const rows = await this.prisma.$queryRaw<ClaimRow[]>`
      WITH claimed AS (
        UPDATE ${this.ledger} e SET attempts = e.attempts + 1, claimed_until = now() + ${leaseMs}::int * interval '1 millisecond'
         WHERE e.idempotency_key = ${key} AND e.state = 'PENDING' AND (e.claimed_until IS NULL OR e.claimed_until < now())
        RETURNING e.idempotency_key, e.template, e.to_email, e.to_name, e.subject, e.text, e.html, e.message_id, e.state, e.attempts
      )
      SELECT c.*, true AS claimed FROM claimed c
      UNION ALL
      SELECT e.idempotency_key, e.template, e.to_email, e.to_name, e.subject, e.text, e.html, e.message_id, e.state, e.attempts, false AS claimed
        FROM ${this.ledger} e
       WHERE e.idempotency_key = ${key} AND NOT EXISTS (SELECT 1 FROM claimed)`;
    return rows.length ? toClaim(rows[0]) : { key, status: 'missing' };
  }

  /**
   * Ends claimed attempts; one statement for all. A sent email is marked SENT (whoever holds it
   * now: the SMTP server did accept it), keeping the parts given instead of what was sent. A
   * failed one gives its claim back, so the next retry sends at once, but only while that claim
   * is still its own (`attempt`): an attempt whose lease ran out never frees its successor's.
   */
  async settle(outcomes: Outcome[]): Promise<void> {
    if (!outcomes.length) return;
    const sent = outcomes.map((o) => o.sent);
    const field = (f: (o: Outcome & { sent: true }) => string) => outcomes.map((o) => (o.sent ? f(o) : null));
    const errors = outcomes.map((o) => (o.sent ? null : o.error.slice(0, 2000)));
    await this.prisma.$executeRaw`
      UPDATE ${this.ledger} e SET
        state = CASE WHEN o.sent THEN 'SENT' ELSE e.state END,
        sent_at = CASE WHEN o.sent THEN now() ELSE e.sent_at END,
        text = CASE WHEN o.sent THEN o.text ELSE e.text END,
        html = CASE WHEN o.sent THEN o.html ELSE e.html END,
        last_error = o.error,
        claimed_until = NULL
      FROM unnest(
        ${outcomes.map((o) => o.key)}::text[], ${outcomes.map((o) => o.attempt)}::int[], ${sent}::boolean[],
        ${field((o) => o.text)}::text[], ${field((o) => o.html)}::text[], ${errors}::text[]
      ) AS o(idempotency_key, attempt, sent, text, html, error)
      WHERE e.idempotency_key = o.idempotency_key AND (o.sent OR (e.state = 'PENDING' AND e.attempts = o.attempt))`;
  }
}
