import { createHash, randomBytes } from 'node:crypto';
import { DomainError } from '@am/contracts';
import type { CallerProofVerifier } from '@am/service-kit';
import type { AccessReviewsService } from '../access-reviews/access-reviews.service';
import type { AuditRepository } from '../audit/audit.repository';
import type { DirectoryConfig } from '../config/directory.config';
import type { CalendarFeedRepository, CalendarFeedRow } from './calendar-feed.repository';
import { CalendarFeedService } from './calendar-feed.service';

const sha256 = (v: string) => createHash('sha256').update(v).digest('hex');

/** The repository's behaviour in memory: one row per user, found by user or by hash. */
class FakeFeeds {
  readonly rows = new Map<string, CalendarFeedRow>();
  readonly users = new Map<string, { id: string; displayName: string; disabledAt: Date | null }>();
  inTransaction = <T>(fn: (tx: unknown) => Promise<T>) => fn({});
  findByUser = async (userId: string) => this.rows.get(userId) ?? null;
  findByHash = async (tokenHash: string) => {
    const row = [...this.rows.values()].find((r) => r.tokenHash === tokenHash);
    return row ? { ...row, user: this.users.get(row.userId)! } : null;
  };
  createIfAbsent = async (data: Omit<CalendarFeedRow, never>) => {
    if (this.rows.has(data.userId)) return false;
    this.rows.set(data.userId, { ...data });
    return true;
  };
  upsert = async (data: { userId: string; tokenHash: string; sealedToken: string }) => {
    const row = { ...data, issuedAt: new Date() };
    this.rows.set(data.userId, row);
    return row;
  };
  findUser = async (userId: string) => this.users.get(userId) ?? null;
  sealedNotUnder = async (keyId: string) => [...this.rows.values()].filter((r) => !r.sealedToken.startsWith(`v1.${keyId}.`));
  replaceSealed = async (was: { userId: string; sealedToken: string }, sealedToken: string) => {
    const row = this.rows.get(was.userId);
    if (row?.sealedToken !== was.sealedToken) return false;
    this.rows.set(was.userId, { ...row, sealedToken });
    return true;
  };
}

function setUp(keys = [randomBytes(32).toString('base64')], feeds = new FakeFeeds()) {
  const audited: { action: string; details?: unknown }[] = [];
  const audit = { append: async (e: { action: string; details?: unknown }) => void audited.push(e) } as unknown as AuditRepository;
  const proofs = { verify: async () => ({}) } as unknown as CallerProofVerifier;
  const reviews = { mine: async () => ({ items: [{ id: 'r1', organization: { name: 'Acme Clinic, LLC' }, dueAt: '2027-01-05T05:00:00.000Z' }] }) } as unknown as AccessReviewsService;
  const config = { SECRETS_ENCRYPTION_KEYS: keys } as DirectoryConfig;
  const service = new CalendarFeedService(config, feeds as unknown as CalendarFeedRepository, audit, proofs, reviews);
  for (const [id, disabledAt] of [['ada', null], ['bob', null], ['cy', new Date()]] as const) feeds.users.set(id, { id, displayName: id, disabledAt });
  return { feeds, audited, service };
}

const cmd = (userId: string) => ({ userId, proof: 'proof' });
const code = (p: Promise<unknown>) => p.then(() => 'resolved', (e: DomainError) => e.code);

describe('CalendarFeedService', () => {
  it('issues one token per user on first use, shows the same again, and keeps only its hash and a sealed copy', async () => {
    const { feeds, audited, service } = setUp();
    const first = await service.show(cmd('ada'));
    expect(first.token).toMatch(/^amcal_[A-Za-z0-9_-]{43}$/);
    expect(await service.show(cmd('ada'))).toEqual(first);
    const row = feeds.rows.get('ada')!;
    expect(row.tokenHash).toBe(sha256(first.token));
    expect(row.sealedToken).not.toContain(first.token.slice(6));
    expect(audited.map((a) => a.action)).toEqual(['calendar-feed.issued']);
    expect((await service.show(cmd('bob'))).token).not.toBe(first.token);
  });

  it('resolves a live token to its owner and their reviews; a rotated, unknown, malformed or disabled account’s token is NOT_FOUND', async () => {
    const { feeds, audited, service } = setUp();
    const old = (await service.show(cmd('ada'))).token;
    expect(await service.resolve({ token: old })).toEqual({ userId: 'ada', displayName: 'ada', accessReviews: [{ id: 'r1', organizationName: 'Acme Clinic, LLC', dueAt: '2027-01-05T05:00:00.000Z' }] });
    const rotated = (await service.rotate(cmd('ada'))).token;
    expect(await code(service.resolve({ token: old }))).toBe('NOT_FOUND');
    expect((await service.resolve({ token: rotated })).userId).toBe('ada');
    expect(JSON.stringify(audited)).not.toContain(rotated);
    expect(audited.map((a) => a.action)).toEqual(['calendar-feed.issued', 'calendar-feed.rotated']);
    for (const token of [`amcal_${'A'.repeat(43)}`, 'amcal_short', rotated.toUpperCase(), '']) expect(await code(service.resolve({ token }))).toBe('NOT_FOUND');
    // A row whose account was disabled after it got its feed.
    feeds.rows.set('cy', { ...feeds.rows.get('ada')!, userId: 'cy', tokenHash: sha256('amcal_' + 'c'.repeat(43)) });
    expect(await code(service.resolve({ token: 'amcal_' + 'c'.repeat(43) }))).toBe('NOT_FOUND');
    expect(await code(service.show(cmd('cy')))).toBe('ACCOUNT_DISABLED');
  });

  it('seals the tokens again after a key rotation, so the old key can go, and shows the same URL', async () => {
    const oldKey = randomBytes(32).toString('base64');
    const before = setUp([oldKey]);
    const shown = await before.service.show(cmd('ada'));
    const newKey = randomBytes(32).toString('base64');
    const during = setUp([newKey, oldKey], before.feeds);
    expect(await during.service.reseal()).toBe(1);
    expect(await during.service.reseal()).toBe(0);
    const after = setUp([newKey], before.feeds);
    expect(await after.service.show(cmd('ada'))).toEqual(shown);
  });
});
