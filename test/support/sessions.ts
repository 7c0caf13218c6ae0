import { performance } from 'node:perf_hooks';
import type { Api, ApiResponse } from './api';

/** The product's bound: a revoked session is refused by every gateway instance within 1 s. */
export const REVOCATION_BOUND_MS = 1000;

/**
 * What measuring from the client adds to that bound: the refusal is seen when the answer of the
 * first poll sent after the gateway stopped accepting the session arrives, so the time measured
 * also holds up to one poll interval (POLL_MS) plus the round trip of that refused request and of
 * the accepted one before it. A GET /api/v1/me takes 5-20 ms on an idle machine; on the shared
 * 2-core machine, with the stack and other test files running, up to about 100 ms each.
 */
export const SCHEDULING_MARGIN_MS = 250;

const POLL_MS = 20;
/** How long a watch may go on before anyone says when the session was revoked (a stuck test). */
const WATCH_LIMIT_MS = 120_000;

export interface Refusal {
  /** From the revocation's answer to the refusal's answer; negative when it came before. */
  ms: number;
  response: ApiResponse;
}

/**
 * Sends GET /api/v1/me with the session, back to back (POLL_MS apart), until it is refused. Start
 * it before the revocation to keep the gateway's cache of the session warm up to the end; then tell
 * it when the revocation was answered (`refused(since)`): it fails when the session is still
 * accepted past REVOCATION_BOUND_MS + SCHEDULING_MARGIN_MS after that.
 */
export class SessionWatch {
  /** Resolves with the first accepted answer (the gateway then knows the session as live). */
  readonly accepted: Promise<void>;
  private readonly refusal: Promise<{ at: number; response: ApiResponse }>;
  private since?: number;
  private acceptedCount = 0;

  private constructor(private readonly api: Api) {
    let onAccepted!: () => void;
    this.accepted = new Promise((resolve) => (onAccepted = resolve));
    this.refusal = this.poll(onAccepted);
    // Failures surface through refused(); nobody may be awaiting it yet.
    this.refusal.catch(() => undefined);
  }

  static start(api: Api): SessionWatch {
    return new SessionWatch(api);
  }

  /** Waits for the refusal; `since` is performance.now() when the revocation's answer arrived. */
  async refused(since: number): Promise<Refusal> {
    this.since = since;
    const { at, response } = await this.refusal;
    return { ms: Math.round(at - since), response };
  }

  /** How many requests the session had accepted before the refusal. */
  get acceptedBefore(): number {
    return this.acceptedCount;
  }

  private async poll(onAccepted: () => void): Promise<{ at: number; response: ApiResponse }> {
    const started = performance.now();
    for (;;) {
      const response = await this.api.get('/api/v1/me');
      const at = performance.now();
      if (response.status === 401) return { at, response };
      if (response.status !== 200) throw new Error(`GET /api/v1/me answered ${response.status}: ${JSON.stringify(response.body)}`);
      this.acceptedCount++;
      onAccepted();
      if (this.since !== undefined && at - this.since > REVOCATION_BOUND_MS + SCHEDULING_MARGIN_MS) {
        throw new Error(`the session was still accepted ${Math.round(at - this.since)} ms after its revocation was answered`);
      }
      if (at - started > WATCH_LIMIT_MS) throw new Error(`the session was never refused (watched for ${WATCH_LIMIT_MS} ms)`);
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
  }
}

/** Polls the session (already revoked, answered at `since`) until it is refused: how long that took. */
export function refusal(api: Api, since: number): Promise<Refusal> {
  return SessionWatch.start(api).refused(since);
}
