import { StreamSlots } from './stream-slots';

describe('StreamSlots', () => {
  it('gives each key up to the limit, and a slot back once however often it is released', () => {
    const slots = new StreamSlots(2);
    const a1 = slots.take('a');
    const a2 = slots.take('a');
    expect(a1).toBeDefined();
    expect(a2).toBeDefined();
    expect(slots.take('a')).toBeUndefined();
    // Per key: another user is not affected.
    expect(slots.take('b')).toBeDefined();
    a1!();
    a1!();
    expect(slots.heldBy('a')).toBe(1);
    const a3 = slots.take('a');
    expect(a3).toBeDefined();
    expect(slots.take('a')).toBeUndefined();
    a2!();
    a3!();
    expect(slots.heldBy('a')).toBe(0);
  });
});
