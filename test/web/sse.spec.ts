// The web UI's Server-Sent Events parser (services/web/src/api/sse.ts), which reads the live notices.
/* eslint-disable @nx/enforce-module-boundaries -- a unit test of the web UI's own parser (the web app has no test runner of its own) */
import { EventStreamParser, readServerSentEvents, type ServerSentEvent } from '../../services/web/src/api/sse';
/* eslint-enable @nx/enforce-module-boundaries */

const parse = (...chunks: string[]) => {
  const events: ServerSentEvent[] = [];
  const parser = new EventStreamParser((e) => events.push(e));
  chunks.forEach((c) => parser.push(c));
  return events;
};

describe('text/event-stream parsing', () => {
  it('names each event by its event: field, as the gateway sends ready, notice and ping', () => {
    expect(parse('event: ready\ndata: {}\n\nid: n1\nevent: notice\ndata: {"id":"n1"}\n\nevent: ping\ndata: {}\n\n')).toEqual([
      { event: 'ready', data: '{}' },
      { event: 'notice', data: '{"id":"n1"}', id: 'n1' },
      // The last event ID carries over to later events, as EventSource's lastEventId does.
      { event: 'ping', data: '{}', id: 'n1' },
    ]);
  });

  it('joins data lines, ignores comments and events without data, and defaults the name to message', () => {
    expect(parse(': keep-alive\n\ndata: a\ndata:b\n\nevent: empty\n\n')).toEqual([{ event: 'message', data: 'a\nb' }]);
  });

  it('reassembles events split across chunks, with CRLF, LF or CR line ends', () => {
    expect(parse('event: not', 'ice\r', '\ndata: {"a":', '1}\r\n\r', '\n', 'data: x\r\rdata: y\n\n')).toEqual([
      { event: 'notice', data: '{"a":1}' },
      { event: 'message', data: 'x' },
      { event: 'message', data: 'y' },
    ]);
  });

  it('reads a byte stream to its end', async () => {
    const bytes = new TextEncoder().encode('event: notice\ndata: {"id":"é"}\n\n');
    const body = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(bytes.slice(0, 25));
        c.enqueue(bytes.slice(25));
        c.close();
      },
    });
    const events: ServerSentEvent[] = [];
    await readServerSentEvents(body, (e) => events.push(e));
    expect(events).toEqual([{ event: 'notice', data: '{"id":"é"}' }]);
  });
});
