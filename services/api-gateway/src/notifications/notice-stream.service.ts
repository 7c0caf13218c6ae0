import { Inject, Injectable, type MessageEvent } from '@nestjs/common';
import type { ClientProxy } from '@nestjs/microservices';
import { concatMap, filter, interval, map, merge, of, share, takeUntil, type Observable } from 'rxjs';
import { DIRECTORY_CLIENT, DIRECTORY_PATTERNS, DomainError, ERROR_CODES } from '@am/contracts';
import { call } from '@am/service-kit';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config/gateway.config';
import { NoticeFeed } from './notice-feed.service';
import { StreamSlots } from './stream-slots';

/**
 * One signed-in person's live stream: `ready` at once, a `notice` for each new notice of theirs,
 * and a `ping` every NOTICE_STREAM_KEEPALIVE_SECONDS. At each ping the session is checked again:
 * a stream ends when its session is signed out or expires, as any other request would be refused.
 */
@Injectable()
export class NoticeStream {
  /**
   * Open streams per user, at most NOTICE_STREAMS_PER_USER (issue 14), so one account cannot hold
   * an unbounded number of connections. Per gateway instance: each counts its own connections.
   */
  private readonly slots: StreamSlots;

  constructor(
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    @Inject(DIRECTORY_CLIENT) private readonly directory: ClientProxy,
    private readonly feed: NoticeFeed,
  ) {
    this.slots = new StreamSlots(config.NOTICE_STREAMS_PER_USER);
  }

  /**
   * Takes one of the user's stream slots, or refuses with THROTTLED (429) when they hold them all.
   * Answers the function that gives the slot back: call it when the connection closes.
   */
  claimSlot(userId: string): () => void {
    const release = this.slots.take(userId);
    if (release) return release;
    // A stream of an ended session closes at its next keep-alive: one interval frees its slot.
    const retryAfterSeconds = this.config.NOTICE_STREAM_KEEPALIVE_SECONDS;
    throw new DomainError(
      ERROR_CODES.THROTTLED,
      `You have ${this.slots.limit} live notification streams open already (one per open tab or window): close one, or retry after ${retryAfterSeconds} s`,
      undefined,
      { limit: this.slots.limit, retryAfterSeconds },
    );
  }

  open(principal: { userId: string; sessionId: string }): Observable<MessageEvent> {
    const ticks = interval(this.config.NOTICE_STREAM_KEEPALIVE_SECONDS * 1000).pipe(share());
    const sessionEnded = ticks.pipe(
      concatMap(() =>
        call(this.directory, DIRECTORY_PATTERNS.checkSession, { sessionId: principal.sessionId }).then(
          () => false,
          // Only a refusal ends the stream; a directory that does not answer for a moment does not.
          (err: unknown) => err instanceof DomainError && err.code === ERROR_CODES.UNAUTHENTICATED,
        ),
      ),
      filter(Boolean),
    );
    return merge(
      of<MessageEvent>({ type: 'ready', data: {} }),
      this.feed.forUser(principal.userId).pipe(map((n): MessageEvent => ({ type: 'notice', id: n.id, data: n }))),
      ticks.pipe(map((): MessageEvent => ({ type: 'ping', data: {} }))),
    ).pipe(takeUntil(sessionEnded));
  }
}
