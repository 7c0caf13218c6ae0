import { waitFor } from '@am/devstack';
import { testStack } from '../setup/stack';

export interface ServerSentEvent {
  event: string;
  id?: string;
  data: any;
  /** When this client read it (ms since epoch). */
  receivedAt: number;
}

/** A Server-Sent Events client over real HTTP (fetch), as a browser's EventSource reads the stream. */
export class EventStream {
  readonly events: ServerSentEvent[] = [];
  /** Set once the server has ended the stream. */
  ended = false;
  private constructor(
    readonly status: number,
    private readonly abort: AbortController,
    readonly body: string,
  ) {}

  static async open(path: string, token?: string, baseUrl = testStack().gatewayUrl): Promise<EventStream> {
    const abort = new AbortController();
    const res = await fetch(`${baseUrl}${path}`, {
      headers: { accept: 'text/event-stream', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      signal: abort.signal,
    });
    if (!res.ok || !res.body) return new EventStream(res.status, abort, await res.text());
    const stream = new EventStream(res.status, abort, '');
    void stream.read(res.body);
    return stream;
  }

  private async read(body: ReadableStream<Uint8Array>): Promise<void> {
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const fields: Record<string, string> = {};
          for (const line of block.split('\n')) {
            const m = /^([a-z]+): ?(.*)$/.exec(line);
            if (m) fields[m[1]] = fields[m[1]] === undefined ? m[2] : `${fields[m[1]]}\n${m[2]}`;
          }
          if (fields.data === undefined) continue;
          let data: unknown = fields.data;
          try {
            data = JSON.parse(fields.data);
          } catch {
            /* plain text data */
          }
          this.events.push({ event: fields.event ?? 'message', id: fields.id, data, receivedAt: Date.now() });
        }
      }
      this.ended = true;
    } catch {
      /* closed by close() */
    }
  }

  /** Waits for the first event that matches. */
  next(match: (e: ServerSentEvent) => boolean, what: string, timeoutMs = 15_000): Promise<ServerSentEvent> {
    return waitFor(what, async () => this.events.find(match), timeoutMs, 20);
  }

  close(): void {
    this.abort.abort();
  }
}
