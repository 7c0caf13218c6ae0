import type { AuditCursor, AuditEventView, Page } from '@am/contracts';
import { auditCsv, auditEvents, inertCell, type AuditPageReader } from './csv-export';

describe('inertCell (OWASP CSV injection)', () => {
  it.each(['=1+1', '=HYPERLINK("http://x.example","click")', '+SUM(1,2)', '-2+3', '@SUM(A1)', '\t=1', '\r=1', '\uFF1D1+1', '\uFF0B1', '\uFF0D1', '\uFF20SUM(A1)', '=', '-'])(
    'writes %j as quoted text behind a single quote',
    (value) => {
      expect(inertCell(value)).toEqual({ value: `'${value}`, quoted: true });
    },
  );

  it.each(['', 'plain', 'auth.sign-in.failed', '2026-03-02T14:05:09.123Z', '7c4b1a0f-2d8e-4f5b-8a9c-3e0d8b9f1c27', '{"role":"STAFF_USER"}', ' =1', "'=1", 'a=b'])('leaves %j as it is', (value) => {
    expect(inertCell(value)).toBe(value);
  });
});

function event(n: number, subjectId: string | null = `s${n}`): AuditEventView {
  return {
    id: String(n),
    occurredAt: new Date(Date.UTC(2026, 10, 1, 0, 0, 0, n)).toISOString(),
    actorId: null,
    action: 'auth.sign-in.failed',
    organizationId: null,
    subjectId,
    details: { note: '=1+1' },
    prevHash: null,
    hash: null,
  };
}

/** A directory of `count` events, newest first, that records each page asked for. */
function directory(count: number, pageSize: number) {
  const all = Array.from({ length: count }, (_, i) => event(count - i));
  const asked: (AuditCursor | undefined)[] = [];
  const read: AuditPageReader = async (after) => {
    asked.push(after);
    const start = after ? all.findIndex((e) => e.id === after.id) + 1 : 0;
    const items = all.slice(start, start + pageSize);
    return { items, page: 1, pageSize, total: -1 } satisfies Page<AuditEventView>;
  };
  return { all, asked, read };
}

async function text(stream: NodeJS.ReadableStream): Promise<string> {
  let out = '';
  for await (const chunk of stream) out += chunk.toString();
  return out;
}

describe('the audit CSV export stream', () => {
  it('writes a header and a row per event, every formula-like cell inert and quoted', async () => {
    const events = [event(2, '=HYPERLINK("http://x.example","click")'), event(1, '\r=1')];
    const csv = await text(auditCsv(auditEvents({ items: events, page: 1, pageSize: 10, total: 2 }, async () => ({ items: [], page: 1, pageSize: 10, total: 0 }), 10, 100)));
    const lines = csv.split('\n');
    expect(lines[0]).toBe('id,occurredAt,action,actorId,organizationId,subjectId,details,prevHash,hash');
    expect(lines[1]).toBe(`2,${events[0].occurredAt},auth.sign-in.failed,,,"'=HYPERLINK(""http://x.example"",""click"")","{""note"":""=1+1""}",,`);
    expect(csv).toContain(`,"'\r=1",`);
  });

  it('reads every page once, each after the last event of the one before, and stops at the limit', async () => {
    const dir = directory(45, 10);
    const first = await dir.read(undefined);
    const rows = (await text(auditCsv(auditEvents(first, dir.read, 10, 1_000)))).trim().split('\n').slice(1);
    expect(rows.map((r) => r.split(',')[0])).toEqual(dir.all.map((e) => e.id));
    expect(dir.asked).toEqual([undefined, ...[0, 1, 2, 3].map((p) => ({ occurredAt: dir.all[p * 10 + 9].occurredAt, id: dir.all[p * 10 + 9].id }))]);

    const capped = directory(45, 10);
    const some = (await text(auditCsv(auditEvents(await capped.read(undefined), capped.read, 10, 25)))).trim().split('\n');
    expect(some).toHaveLength(1 + 25);
    expect(capped.asked).toHaveLength(3);
  });

  it('reads the next page only as the text is taken, and stops reading when the stream is destroyed', async () => {
    const dir = directory(100_000, 200);
    const stream = auditCsv(auditEvents(await dir.read(undefined), dir.read, 200, 100_000));
    const iterator = stream[Symbol.asyncIterator]();
    await iterator.next();
    // Let the event loop go round: without back-pressure the pages (which this fake answers at
    // once) would all be read meanwhile. With it, a page or two fill the stream's buffers.
    const spin = async () => {
      for (let i = 0; i < 50; i++) await new Promise((resolve) => setImmediate(resolve));
    };
    await spin();
    expect(dir.asked.length).toBeLessThan(5);
    stream.destroy();
    const asked = dir.asked.length;
    await spin();
    expect(dir.asked.length).toBeLessThanOrEqual(asked + 1);
  });

  it('fails the stream when a page cannot be read', async () => {
    const dir = directory(30, 10);
    const failing: AuditPageReader = async (after) => {
      if (after) throw new Error('The directory service did not answer');
      return dir.read(after);
    };
    await expect(text(auditCsv(auditEvents(await failing(undefined), failing, 10, 1_000)))).rejects.toThrow('did not answer');
  });
});
