import { canonicalJson, ChainVerifier, hashEvent, type StoredEvent } from './audit-chain';

function chain(n: number): StoredEvent[] {
  const events: StoredEvent[] = [];
  let prev: string | null = null;
  for (let i = 1; i <= n; i++) {
    const e = { id: String(i), occurredAt: new Date(Date.UTC(2026, 10, 1, 0, 0, i)), actorId: 'a', action: 'x', organizationId: null, subjectId: `s${i}`, details: { n: i, nested: { b: 1, a: 2 } }, prevHash: prev };
    const hash = hashEvent(e);
    events.push({ ...e, hash });
    prev = hash;
  }
  return events;
}

function firstBreak(events: StoredEvent[]) {
  const v = new ChainVerifier();
  for (const e of events) {
    const broken = v.next(e);
    if (broken) return broken;
  }
  return null;
}

describe('audit chain', () => {
  it('serializes independently of key order', () => {
    expect(canonicalJson({ b: 1, a: { d: [{ y: 1, x: 2 }], c: null } })).toBe(canonicalJson({ a: { c: null, d: [{ x: 2, y: 1 }] }, b: 1 }));
  });

  it('accepts an intact chain, with unhashed events only before it starts', () => {
    const legacy: StoredEvent = { id: '0', occurredAt: new Date(0), actorId: null, action: 'old', organizationId: null, subjectId: null, details: {}, prevHash: null, hash: null };
    expect(firstBreak([legacy, ...chain(5)])).toBeNull();
  });

  it('names the first altered event', () => {
    const events = chain(5);
    events[2] = { ...events[2], details: { n: 99 } };
    expect(firstBreak(events)).toMatchObject({ id: '3', reason: expect.stringContaining('altered') });
  });

  it('names the event after a removed one', () => {
    const events = chain(5);
    events.splice(1, 1);
    expect(firstBreak(events)?.id).toBe('3');
  });

  it('refuses an unhashed event inside the chain', () => {
    const events = chain(3);
    events[1] = { ...events[1], hash: null };
    expect(firstBreak(events)?.id).toBe('2');
  });
});
