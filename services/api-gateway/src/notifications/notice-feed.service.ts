import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import type { ClientProxy } from '@nestjs/microservices';
import { Observable, type Subscriber } from 'rxjs';
import { NOTIFICATIONS_CLIENT, NOTIFICATIONS_PATTERNS, type NoticeFeedItem, type NoticeFeedPage, type NoticeView } from '@am/contracts';
import { call } from '@am/service-kit';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config/gateway.config';

const PAGE_LIMIT = 1000;
/** Ids already pushed are remembered this long: longer than the feed's overlap between pages. */
const REMEMBER_MS = 30_000;

/**
 * The live notification stream of this gateway instance. While anyone listens, one loop asks the
 * notifications service for every new notice (by a cursor on its database clock) every
 * NOTICE_STREAM_POLL_MS and hands each to the listeners it belongs to.
 * Why a cursor poll and not an event pushed by the notifications service: it needs nothing from
 * the transport but request/reply, so it works the same over TCP and NATS, with any number of
 * gateway and notifications instances (each gateway reads the shared record; no instance has to
 * know the others), and a gateway that was briefly unreachable catches up instead of losing events.
 * The cost is one small RPC per interval per gateway with listeners, and at most one interval of delay.
 */
@Injectable()
export class NoticeFeed implements OnModuleDestroy {
  private readonly logger = new Logger(NoticeFeed.name);
  private readonly listeners = new Set<{ userId: string; sub: Subscriber<NoticeView> }>();
  private readonly pushed = new Map<string, number>();
  private cursor: string | undefined;
  private loop: Promise<void> | undefined;
  private stopped = false;
  private failing = false;

  constructor(
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    @Inject(NOTIFICATIONS_CLIENT) private readonly notifications: ClientProxy,
  ) {}

  /** Every notice of `userId` created from now on, as it is stored. */
  forUser(userId: string): Observable<NoticeView> {
    return new Observable<NoticeView>((sub) => {
      const listener = { userId, sub };
      this.listeners.add(listener);
      this.ensureRunning();
      return () => this.listeners.delete(listener);
    });
  }

  private ensureRunning(): void {
    if (this.loop || this.stopped) return;
    this.loop = this.run().finally(() => {
      this.loop = undefined;
      if (this.listeners.size > 0) this.ensureRunning();
    });
  }

  private async run(): Promise<void> {
    while (this.listeners.size > 0 && !this.stopped) {
      await this.pollOnce();
      // The poll interval (not a wait for a condition): see the class comment.
      await new Promise((resolve) => setTimeout(resolve, this.config.NOTICE_STREAM_POLL_MS));
    }
    // Nobody listens: the next listener starts from "now" again.
    this.cursor = undefined;
    this.pushed.clear();
  }

  private async pollOnce(): Promise<void> {
    try {
      const page = await call<NoticeFeedPage>(this.notifications, NOTIFICATIONS_PATTERNS.noticeFeed, { since: this.cursor, limit: PAGE_LIMIT }, 5_000);
      for (const n of page.notices) this.push(n);
      this.cursor = page.now;
      const forgetBefore = Date.parse(page.now) - REMEMBER_MS;
      for (const [id, at] of this.pushed) if (at < forgetBefore) this.pushed.delete(id);
      if (this.failing) this.logger.log('The notifications service answers again: live notices resume');
      this.failing = false;
    } catch (err) {
      // Keep the cursor: once the service answers again, what was missed is pushed then.
      if (!this.failing) this.logger.warn(`Live notices paused: ${err instanceof Error ? err.message : String(err)}`);
      this.failing = true;
    }
  }

  private push(item: NoticeFeedItem): void {
    if (this.pushed.has(item.id)) return;
    this.pushed.set(item.id, Date.parse(item.createdAt));
    const { userId, ...view } = item;
    for (const l of this.listeners) if (l.userId === userId) l.sub.next(view);
  }

  /** Ends every open stream before the HTTP server closes, so shutdown does not wait on them. */
  onModuleDestroy(): void {
    this.stopped = true;
    for (const l of this.listeners) l.sub.complete();
    this.listeners.clear();
  }
}
