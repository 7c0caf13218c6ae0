import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { performance } from 'node:perf_hooks';

/**
 * The webhook endpoints of the bench: one HTTP server on 127.0.0.1, one path per subscriber, each
 * answering 200 or always 500. It keeps, per path, when it answered 2xx to each event about each
 * request (performance.now(), the bench's clock), and counts every request; it does not verify
 * signatures (the tests do that, test/support/webhook-receiver.ts), so that its own work stays
 * small beside what it measures.
 */
export class WebhookSink {
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();
  private port = 0;
  /** `${path} ${type} ${requestId}` -> when it was first answered 2xx. */
  private readonly answered = new Map<string, number>();
  private readonly waiters = new Map<string, ((at: number) => void)[]>();
  /** Requests received, by path (every attempt, whatever the answer). */
  readonly requests = new Map<string, number>();
  /** The paths answered 500. */
  readonly failing = new Set<string>();
  /** 2xx answered to a webhook-id already answered 2xx on that path (a duplicate delivery). */
  duplicates = 0;
  private readonly delivered = new Set<string>();

  async start(): Promise<void> {
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const path = req.url ?? '/';
        this.requests.set(path, (this.requests.get(path) ?? 0) + 1);
        if (this.failing.has(path)) {
          res.writeHead(500, { 'content-type': 'text/plain' }).end('no');
          return;
        }
        res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
        const at = performance.now();
        const id = `${path} ${String(req.headers['webhook-id'] ?? '')}`;
        if (this.delivered.has(id)) this.duplicates++;
        this.delivered.add(id);
        let payload: { type?: string; data?: { request?: { id?: string } } } | undefined;
        try {
          payload = JSON.parse(Buffer.concat(chunks).toString('utf8')) as typeof payload;
        } catch {
          return;
        }
        const key = `${path} ${payload?.type} ${payload?.data?.request?.id}`;
        if (this.answered.has(key)) return;
        this.answered.set(key, at);
        for (const w of this.waiters.get(key) ?? []) w(at);
        this.waiters.delete(key);
      });
    });
    server.keepAliveTimeout = 30_000;
    server.on('connection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
  }

  url(path: string): string {
    return `http://127.0.0.1:${this.port}${path}`;
  }

  /** When `path` answered 2xx to the event `type` about `requestId` (performance.now()), waiting for it if need be. */
  answeredAt(path: string, type: string, requestId: string): Promise<number> {
    const key = `${path} ${type} ${requestId}`;
    const at = this.answered.get(key);
    if (at !== undefined) return Promise.resolve(at);
    return new Promise((resolve) => this.waiters.set(key, [...(this.waiters.get(key) ?? []), resolve]));
  }

  /** When `path` answered 2xx to the event `type` about `requestId`, if it has. */
  peek(path: string, type: string, requestId: string): number | undefined {
    return this.answered.get(`${path} ${type} ${requestId}`);
  }

  /** How many distinct (event, request) pairs `path` answered 2xx. */
  deliveredTo(path: string): number {
    let n = 0;
    for (const key of this.answered.keys()) if (key.startsWith(`${path} `)) n++;
    return n;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (!server) return;
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
