import { idempotentCallId } from './idempotency.interceptor';

describe('idempotentCallId', () => {
  it('gives every retry of one call the same UUID', () => {
    const a = idempotentCallId('role-request.submit', 'user-1', 'key-1');
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(idempotentCallId('role-request.submit', 'user-1', 'key-1')).toBe(a);
  });

  it('gives another caller, another key or another action another id', () => {
    const a = idempotentCallId('role-request.submit', 'user-1', 'key-1');
    expect(new Set([a, idempotentCallId('role-request.submit', 'user-2', 'key-1'), idempotentCallId('role-request.submit', 'user-1', 'key-2'), idempotentCallId('role-request.approve', 'user-1', 'key-1')]).size).toBe(4);
  });

  it('cannot be steered into another caller’s id by a key with a line break', () => {
    expect(idempotentCallId('role-request.submit', 'user-1', 'x\ny')).not.toBe(idempotentCallId('role-request.submit', 'user-1\nx', 'y'));
  });
});
