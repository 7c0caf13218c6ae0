import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { Webhook } from 'standardwebhooks';
import type { WebhookPayload } from '@am/contracts';

/** One request the receiver got: every attempt, answered 2xx or not. */
export interface ReceivedWebhook {
  /** The webhook-id header: the same on every attempt of one delivery. */
  id: string;
  timestamp: string;
  signature: string;
  headers: IncomingHttpHeaders;
  path: string;
  body: string;
  payload: WebhookPayload<any>;
  /** The status the receiver answered; 0 when the connection was gone before the answer (closed by the sender, or by `down()`). */
  answered: number;
  /** Whether the signature verified with any of the receiver's secrets, as a consumer verifies it (the standardwebhooks library). */
  verified: boolean;
  /** The secrets (by index in `secrets`) whose signature verified. */
  verifiedWith: number[];
  /** When the receiver answered (Date.now()): after the answer's delay. */
  receivedAt: number;
  /** When the request arrived (Date.now()), before any delay. */
  arrivedAt: number;
}

/** A request that has arrived, answered or still held (a slow answer). */
export interface ArrivedWebhook {
  id: string;
  path: string;
  payload: WebhookPayload<any>;
  arrivedAt: number;
  /** Set once answered (the matching entry of `requests`). */
  answered?: ReceivedWebhook;
}

/** What to answer one request: a status (default 200), after an optional delay. */
export interface Answer {
  status?: number;
  delayMs?: number;
  body?: string;
}

/**
 * A real HTTP endpoint for webhook tests and the bench: it verifies every request's signature with
 * the standardwebhooks library exactly as a consumer would, records every attempt, and answers as
 * the test says (fail the first N, answer 410, be slow, be down altogether).
 */
export class WebhookReceiver {
  readonly requests: ReceivedWebhook[] = [];
  /** Every request as it arrives, before its answer (a slow answer holds it for a while). */
  readonly arrivals: ArrivedWebhook[] = [];
  /** Signing secrets to verify with (`whsec_…`): after a rotation, both the old and the new one. */
  secrets: string[] = [];
  private answer: (req: { id: string; attemptOfId: number; path: string }) => Answer = () => ({ status: 200 });
  private waiters: { predicate: (r: ReceivedWebhook) => boolean; resolve: (r: ReceivedWebhook) => void }[] = [];
  private arrivalWaiters: { predicate: (r: ArrivedWebhook) => boolean; resolve: (r: ArrivedWebhook) => void }[] = [];
  /** Answers being held (delayMs): ended early by down(), so no timer outlives the receiver. */
  private readonly held = new Set<() => void>();
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();

  private constructor(private port: number) {}

  /** Listens on 127.0.0.1 (an ephemeral port unless one is given). */
  static async start(port = 0): Promise<WebhookReceiver> {
    const receiver = new WebhookReceiver(port);
    await receiver.listen();
    return receiver;
  }

  /** The endpoint's URL (a path lets one receiver stand for several subscriptions). */
  url(path = '/hooks'): string {
    return `http://127.0.0.1:${this.port}${path}`;
  }

  /** How to answer each request from now on (attemptOfId counts this delivery's requests, 1 first). */
  respond(fn: (req: { id: string; attemptOfId: number; path: string }) => Answer): void {
    this.answer = fn;
  }

  /** Answers `status` to the first `n` attempts of every delivery, then 200. */
  failFirst(n: number, status = 503): void {
    this.respond(({ attemptOfId }) => ({ status: attemptOfId <= n ? status : 200 }));
  }

  /** Requests of one path, or those whose payload passes the filter. */
  received(filter: (r: ReceivedWebhook) => boolean = () => true): ReceivedWebhook[] {
    return this.requests.filter(filter);
  }

  /** The first request (already received or still to come) that passes the predicate. */
  waitFor(predicate: (r: ReceivedWebhook) => boolean, timeoutMs = 30_000, what = 'a webhook request'): Promise<ReceivedWebhook> {
    const seen = this.requests.find(predicate);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const waiter = { predicate, resolve: (r: ReceivedWebhook) => (clearTimeout(timer), resolve(r)) };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(new Error(`Timed out after ${timeoutMs} ms waiting for ${what}; received: ${JSON.stringify(this.requests.map((r) => [r.path, r.payload?.type, r.answered]))}`));
      }, timeoutMs);
      this.waiters.push(waiter);
    });
  }

  /** The first request that arrives (or has arrived) passing the predicate, before it is answered. */
  waitForArrival(predicate: (r: ArrivedWebhook) => boolean, timeoutMs = 30_000, what = 'a webhook request to arrive'): Promise<ArrivedWebhook> {
    const seen = this.arrivals.find(predicate);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const waiter = { predicate, resolve: (r: ArrivedWebhook) => (clearTimeout(timer), resolve(r)) };
      const timer = setTimeout(() => {
        this.arrivalWaiters = this.arrivalWaiters.filter((w) => w !== waiter);
        reject(new Error(`Timed out after ${timeoutMs} ms waiting for ${what}; arrived: ${JSON.stringify(this.arrivals.map((r) => [r.path, r.payload?.type, r.answered?.answered ?? 'held']))}`));
      }, timeoutMs);
      this.arrivalWaiters.push(waiter);
    });
  }

  /** Stops listening (connections are refused) until `listen()` again, on the same port. */
  async down(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (!server) return;
    for (const s of this.sockets) s.destroy();
    for (const release of [...this.held]) release();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  async listen(): Promise<void> {
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => void this.handle(req.headers, req.url ?? '/', Buffer.concat(chunks).toString('utf8'), res));
    });
    server.on('connection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
  }

  async stop(): Promise<void> {
    await this.down();
  }

  private async handle(headers: IncomingHttpHeaders, path: string, body: string, res: ServerResponse): Promise<void> {
    const arrivedAt = Date.now();
    const id = String(headers['webhook-id'] ?? '');
    const attemptOfId = this.requests.filter((r) => r.id === id).length + 1;
    const answer = this.answer({ id, attemptOfId, path });
    let parsed: WebhookPayload<any> | undefined;
    try {
      parsed = JSON.parse(body) as WebhookPayload<any>;
    } catch {
      parsed = undefined;
    }
    const arrival: ArrivedWebhook = { id, path, payload: parsed as WebhookPayload<any>, arrivedAt };
    this.arrivals.push(arrival);
    for (const w of [...this.arrivalWaiters]) {
      if (w.predicate(arrival)) {
        this.arrivalWaiters = this.arrivalWaiters.filter((x) => x !== w);
        w.resolve(arrival);
      }
    }
    if (answer.delayMs) {
      await new Promise<void>((resolve) => {
        const release = () => {
          clearTimeout(timer);
          this.held.delete(release);
          resolve();
        };
        const timer = setTimeout(release, answer.delayMs);
        this.held.add(release);
      });
    }
    const status = answer.status ?? 200;
    const gone = res.destroyed || res.socket === null || res.socket.destroyed;
    const verifiedWith = this.secrets.flatMap((secret, i) => {
      try {
        new Webhook(secret).verify(body, headers as Record<string, string>);
        return [i];
      } catch {
        return [];
      }
    });
    let payload: WebhookPayload<any>;
    try {
      payload = JSON.parse(body) as WebhookPayload<any>;
    } catch {
      payload = undefined as unknown as WebhookPayload<any>;
    }
    const received: ReceivedWebhook = {
      id,
      timestamp: String(headers['webhook-timestamp'] ?? ''),
      signature: String(headers['webhook-signature'] ?? ''),
      headers,
      path,
      body,
      payload,
      answered: gone ? 0 : status,
      verified: verifiedWith.length > 0,
      verifiedWith,
      receivedAt: Date.now(),
      arrivedAt,
    };
    arrival.answered = received;
    this.requests.push(received);
    if (!gone) {
      res.writeHead(status, { 'content-type': 'text/plain' });
      res.end(answer.body ?? (status < 300 ? 'ok' : 'no'));
    }
    for (const w of [...this.waiters]) {
      if (w.predicate(received)) {
        this.waiters = this.waiters.filter((x) => x !== w);
        w.resolve(received);
      }
    }
  }
}
