import { Inject, Injectable } from '@nestjs/common';
import type { ClientProxy } from '@nestjs/microservices';
import { LRUCache } from 'lru-cache';
import { DIRECTORY_CLIENT, DIRECTORY_PATTERNS, DomainError, ERROR_CODES, type AuthenticatedPrincipal } from '@am/contracts';
import { call } from '@am/service-kit';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config/gateway.config';

/** What the directory answered about a session: whose it is, or that it has ended (and how it said so). */
type Answer = { principal: AuthenticatedPrincipal } | { ended: string };

/** A check on its way to the directory: when it was sent, and what it will answer. */
interface InFlight {
  sentAt: number;
  answer: Promise<Answer>;
}

/**
 * Sessions this instance remembers at most. An entry lives SESSION_CACHE_TTL_MS (under a second),
 * so this only bounds memory when very many sessions call within one TTL; an evicted session costs
 * one more directory round trip, nothing else.
 */
const MAX_SESSIONS = 10_000;

/** A monotonic clock (performance.now, looked up at each call so tests can replace it). */
const monotonic = { now: () => performance.now() };

/**
 * Whether a session is live and whose it is, as the directory says (`checkSession`), remembered by
 * this gateway instance for at most SESSION_CACHE_TTL_MS, so a busy session costs one directory
 * round trip per TTL per instance instead of one per request.
 *
 * The bound on staleness is what makes this safe: every answer is taken to be as old as the moment
 * its question was *sent* (the directory reads the session after that), and it is never used past
 * sentAt + TTL. So a session revoked anywhere (sign-out, a disabled account, a password or
 * two-factor reset), or a principal changed in the directory (platform role, name), is seen by every
 * instance within the TTL, however slow the directory was to answer. Concurrent requests of one
 * session share one check in flight, but only one sent within the TTL. "The session has ended" is
 * remembered the same way (it never comes back alive, and a flood of a revoked token's requests
 * then costs the directory nothing more); a directory that does not answer is not remembered.
 * A sign-out through this instance forgets its session at once.
 *
 * Only sessions whose token verified reach this: a forged or expired token is refused before.
 */
@Injectable()
export class SessionChecks {
  private readonly answers?: LRUCache<string, Answer>;
  private readonly inFlight = new Map<string, InFlight>();
  private readonly ttlMs: number;

  constructor(
    @Inject(GATEWAY_CONFIG) config: Pick<GatewayConfig, 'SESSION_CACHE_TTL_MS'>,
    @Inject(DIRECTORY_CLIENT) private readonly directory: ClientProxy,
  ) {
    this.ttlMs = config.SESSION_CACHE_TTL_MS;
    // TTL 0: nothing is remembered, every request asks the directory.
    if (this.ttlMs > 0) this.answers = new LRUCache<string, Answer>({ max: MAX_SESSIONS, ttl: this.ttlMs, ttlResolution: 0, perf: monotonic });
  }

  /** The principal of a live session; refuses (401) one that has ended. */
  async principalOf(sessionId: string): Promise<AuthenticatedPrincipal> {
    const answer = this.answers?.get(sessionId) ?? (await this.ask(sessionId));
    if ('ended' in answer) throw new DomainError(ERROR_CODES.UNAUTHENTICATED, answer.ended);
    return answer.principal;
  }

  /** Drops what this instance knows of a session (it signed out here), and any check of it in flight. */
  forget(sessionId: string): void {
    this.answers?.delete(sessionId);
    this.inFlight.delete(sessionId);
  }

  private ask(sessionId: string): Promise<Answer> {
    const now = monotonic.now();
    const pending = this.inFlight.get(sessionId);
    // A check sent within the TTL answers for this request too; an older one might not.
    if (pending && now - pending.sentAt <= this.ttlMs) return pending.answer;
    const check: InFlight = { sentAt: now, answer: this.checkSession(sessionId) };
    if (!this.answers) return check.answer;
    this.inFlight.set(sessionId, check);
    const settle = (answer: Answer | undefined) => {
      // Forgotten (signed out here) or overtaken by a newer check meanwhile: not remembered.
      if (this.inFlight.get(sessionId) !== check) return;
      this.inFlight.delete(sessionId);
      if (answer) this.answers!.set(sessionId, answer, { start: check.sentAt });
    };
    check.answer.then(settle, () => settle(undefined));
    return check.answer;
  }

  private async checkSession(sessionId: string): Promise<Answer> {
    try {
      return { principal: await call<AuthenticatedPrincipal>(this.directory, DIRECTORY_PATTERNS.checkSession, { sessionId }) };
    } catch (err) {
      if (err instanceof DomainError && err.code === ERROR_CODES.UNAUTHENTICATED) return { ended: err.message };
      throw err;
    }
  }
}
