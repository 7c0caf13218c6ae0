import { createHash, randomBytes } from 'node:crypto';
import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import {
  CALENDAR_FEED_TOKEN_PATTERN,
  DomainError,
  ERROR_CODES,
  proofTarget,
  REFUSALS,
  type CalendarFeedCommand,
  type CalendarFeedOwner,
  type CalendarFeedToken,
  type ResolveCalendarFeedRequest,
} from '@am/contracts';
import { CallerProofVerifier, resealAll, SecretBox } from '@am/service-kit';
import { AccessReviewsService } from '../access-reviews/access-reviews.service';
import { AuditRepository } from '../audit/audit.repository';
import { DIRECTORY_CONFIG, type DirectoryConfig } from '../config/directory.config';
import { CalendarFeedRepository, type CalendarFeedRow } from './calendar-feed.repository';

/** What a feed token is bound to when sealed: its user, so a sealed token copied to another row does not open. */
const sealContext = (userId: string) => `calendar_feed_tokens.token:${userId}`;
const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');

/**
 * Personal calendar feeds (issue 19). The token is 256 random bits; only its SHA-256 finds the feed
 * (a random token needs no slow hash) and the token itself is sealed with the directory's secret
 * box, so the owner can see their URL again but a database dump yields no working URL. Rotation
 * replaces both in one write: the old URL finds nothing from that moment.
 */
@Injectable()
export class CalendarFeedService implements OnApplicationBootstrap {
  private readonly logger = new Logger(CalendarFeedService.name);
  private readonly box: SecretBox;

  constructor(
    @Inject(DIRECTORY_CONFIG) config: DirectoryConfig,
    private readonly repo: CalendarFeedRepository,
    private readonly audit: AuditRepository,
    private readonly proofs: CallerProofVerifier,
    private readonly reviews: AccessReviewsService,
  ) {
    this.box = new SecretBox(config.SECRETS_ENCRYPTION_KEYS);
  }

  /** After a key rotation (SECRETS_ENCRYPTION_KEYS, new key first), tokens sealed with an older key are sealed again with the new one, as TOTP secrets are. */
  async onApplicationBootstrap(): Promise<void> {
    const resealed = await this.reseal();
    if (resealed) this.logger.log(`Sealed ${resealed} calendar feed token(s) with the current key`);
  }

  /** Seals what is under a retired key with the current one; returns how many tokens changed. */
  async reseal(batch = 500): Promise<number> {
    return resealAll(
      () => this.repo.sealedNotUnder(this.box.currentKeyId, batch),
      (row) => this.repo.replaceSealed(row, this.box.seal(this.box.open(row.sealedToken, sealContext(row.userId)), sealContext(row.userId))),
    );
  }

  /** The caller's token, issued on first use (two first uses at once agree on one token). */
  async show(cmd: CalendarFeedCommand): Promise<CalendarFeedToken> {
    await this.proofs.verify(cmd.proof, { action: 'calendar-feed.show', target: proofTarget.calendarFeed(), actorId: cmd.userId });
    await this.requireActive(cmd.userId);
    const existing = await this.repo.findByUser(cmd.userId);
    if (existing) return this.tokenOf(existing);
    const issued = this.issue(cmd.userId);
    const issuedAt = new Date();
    if (await this.repo.createIfAbsent({ ...issued.row, issuedAt })) {
      await this.audit.append({ action: 'calendar-feed.issued', actorId: cmd.userId, subjectId: cmd.userId });
      return { token: issued.token, issuedAt: issuedAt.toISOString() };
    }
    return this.tokenOf((await this.repo.findByUser(cmd.userId))!);
  }

  /** A new token; the old URL answers 404 at once. Audited with the new token's hash prefix, never the token. */
  async rotate(cmd: CalendarFeedCommand): Promise<CalendarFeedToken> {
    await this.proofs.verify(cmd.proof, { action: 'calendar-feed.rotate', target: proofTarget.calendarFeed(), actorId: cmd.userId });
    await this.requireActive(cmd.userId);
    const issued = this.issue(cmd.userId);
    const row = await this.repo.inTransaction(async (tx) => {
      const saved = await this.repo.upsert(issued.row, tx);
      await this.audit.append({ action: 'calendar-feed.rotated', actorId: cmd.userId, subjectId: cmd.userId, details: { tokenHashPrefix: issued.row.tokenHash.slice(0, 8) } }, tx);
      return saved;
    });
    return { token: issued.token, issuedAt: row.issuedAt.toISOString() };
  }

  /** The owner of a feed URL's token; NOT_FOUND for a malformed, unknown or replaced token, or a disabled account. */
  async resolve(req: ResolveCalendarFeedRequest): Promise<CalendarFeedOwner> {
    const row = CALENDAR_FEED_TOKEN_PATTERN.test(req.token) ? await this.repo.findByHash(sha256(req.token)) : null;
    if (!row || row.user.disabledAt) throw REFUSALS.noSuchCalendarFeed();
    const { items } = await this.reviews.mine(row.userId);
    return {
      userId: row.userId,
      displayName: row.user.displayName,
      accessReviews: items.map((r) => ({ id: r.id, organizationName: r.organization.name, dueAt: r.dueAt })),
    };
  }

  private issue(userId: string) {
    const token = `amcal_${randomBytes(32).toString('base64url')}`;
    return { token, row: { userId, tokenHash: sha256(token), sealedToken: this.box.seal(token, sealContext(userId)) } };
  }

  private tokenOf(row: CalendarFeedRow): CalendarFeedToken {
    return { token: this.box.open(row.sealedToken, sealContext(row.userId)), issuedAt: row.issuedAt.toISOString() };
  }

  private async requireActive(userId: string): Promise<void> {
    const user = await this.repo.findUser(userId);
    if (!user) throw new DomainError(ERROR_CODES.UNAUTHENTICATED, 'This account no longer exists');
    if (user.disabledAt) throw new DomainError(ERROR_CODES.ACCOUNT_DISABLED, 'This account is disabled');
  }
}
