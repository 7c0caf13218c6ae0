/** One Server-Sent Event as the text/event-stream format defines it (WHATWG HTML, "server-sent events"). */
export interface ServerSentEvent {
  /** The `event:` field; "message" when the server sent none. */
  event: string;
  data: string;
  /** The last `id:` seen on the stream (it carries over, as EventSource's lastEventId). */
  id?: string;
}

/**
 * Reads a text/event-stream body and calls onEvent with each complete event. Follows the format's
 * rules: lines end in CRLF, LF or CR; a blank line ends an event; `:` lines are comments; several
 * `data:` lines join with "\n"; one space after the colon is dropped; an event with no data is not
 * dispatched. Resolves when the stream ends; rejects if reading fails (e.g. aborted).
 */
export async function readServerSentEvents(body: ReadableStream<Uint8Array>, onEvent: (e: ServerSentEvent) => void): Promise<void> {
  const reader = body.pipeThrough(new TextDecoderStream() as unknown as ReadableWritablePair<string, Uint8Array>).getReader();
  const parser = new EventStreamParser(onEvent);
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    parser.push(value);
  }
}

/** The line-by-line state machine behind readServerSentEvents, fed text chunks as they arrive. */
export class EventStreamParser {
  private buffer = '';
  private event = '';
  private data: string[] = [];
  private id: string | undefined;

  constructor(private readonly onEvent: (e: ServerSentEvent) => void) {}

  push(chunk: string): void {
    this.buffer += chunk;
    for (;;) {
      const m = /\r\n|\n|\r/.exec(this.buffer);
      // A CR at the very end may be the first half of a CRLF split across chunks: wait for more.
      if (!m || (m[0] === '\r' && m.index === this.buffer.length - 1)) return;
      const line = this.buffer.slice(0, m.index);
      this.buffer = this.buffer.slice(m.index + m[0].length);
      this.line(line);
    }
  }

  private line(line: string): void {
    if (line === '') return this.dispatch();
    if (line.startsWith(':')) return;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'event') this.event = value;
    else if (field === 'data') this.data.push(value);
    else if (field === 'id' && !value.includes('\0')) this.id = value;
  }

  private dispatch(): void {
    const event = { event: this.event || 'message', data: this.data.join('\n'), ...(this.id !== undefined ? { id: this.id } : {}) };
    const had = this.data.length > 0;
    this.event = '';
    this.data = [];
    if (had) this.onEvent(event);
  }
}
