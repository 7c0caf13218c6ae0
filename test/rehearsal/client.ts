// The callers of the rehearsal: what a load balancer in front of the gateway instances does for a
// client (the next instance when one does not answer), and what a careful client does itself
// (every POST under an Idempotency-Key, retried with the same key until it has an answer).
import { randomUUID } from 'node:crypto';

export interface Answer<T = any> {
  status: number;
  body: T;
  /** Every status (or connection error) met on the way, for the tests of outages. */
  seen: (number | 'connection refused')[];
}

const RETRYABLE = new Set([502, 503, 504]);

export class RehearsalClient {
  private next = 0;

  constructor(
    private readonly gateways: string[],
    readonly token?: string,
  ) {}

  as(token: string): RehearsalClient {
    return new RehearsalClient(this.gateways, token);
  }

  /** One attempt at one gateway instance, in turn: no retry (the outage tests look at these). */
  async once<T = any>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Answer<T>> {
    const base = this.gateways[this.next++ % this.gateways.length];
    try {
      const res = await fetch(`${base}${path}`, {
        method,
        headers: {
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
          ...(this.token ? { authorization: `Bearer ${this.token}` } : {}),
          ...headers,
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(60_000),
      });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : undefined, seen: [res.status] };
    } catch {
      return { status: 0, body: undefined as T, seen: ['connection refused'] };
    }
  }

  /**
   * Until answered: a connection refused, a 502/503/504, or a key still held by an earlier attempt
   * (409 IDEMPOTENCY_KEY_IN_USE) is tried again, at the next instance, with the same key, for up to
   * `withinMs`. Any other answer is the answer.
   */
  async call<T = any>(method: string, path: string, body?: unknown, o: { withinMs?: number; idempotencyKey?: string } = {}): Promise<Answer<T>> {
    const key = method === 'POST' ? (o.idempotencyKey ?? randomUUID()) : undefined;
    const deadline = Date.now() + (o.withinMs ?? 180_000);
    const seen: Answer['seen'] = [];
    let pause = 100;
    for (;;) {
      const a = await this.once<T>(method, path, body, key ? { 'idempotency-key': key } : {});
      seen.push(...a.seen);
      const again = a.status === 0 || RETRYABLE.has(a.status) || (a.status === 409 && (a.body as any)?.error?.code === 'IDEMPOTENCY_KEY_IN_USE');
      if (!again) return { ...a, seen };
      if (Date.now() > deadline) throw new Error(`${method} ${path}: no answer within ${o.withinMs ?? 180_000} ms (met ${seen.slice(-5).join(', ')})`);
      await new Promise((r) => setTimeout(r, pause));
      pause = Math.min(pause * 2, 2_000);
    }
  }

  get<T = any>(path: string, o?: { withinMs?: number }) {
    return this.call<T>('GET', path, undefined, o);
  }

  post<T = any>(path: string, body: unknown = {}, o?: { withinMs?: number }) {
    return this.call<T>('POST', path, body, o);
  }
}
