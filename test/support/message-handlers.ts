// Unit-test helpers for @MessagePattern controllers (no network): find a controller's handlers by
// their pattern metadata, call them as the transport would, and see what reached the services.
import { PATTERN_METADATA } from '@nestjs/microservices/constants';
import { DomainError } from '@am/contracts';

export interface MessageHandler {
  pattern: string;
  method: string;
  call(payload: unknown): Promise<unknown>;
}

/** Every @MessagePattern handler of a controller instance. */
export function messageHandlers(controller: object): MessageHandler[] {
  const proto = Object.getPrototypeOf(controller) as Record<string, unknown>;
  return Object.getOwnPropertyNames(proto).flatMap((method) => {
    const fn = proto[method];
    if (method === 'constructor' || typeof fn !== 'function') return [];
    const patterns = Reflect.getMetadata(PATTERN_METADATA, fn) as unknown[] | undefined;
    return (patterns ?? []).map((pattern) => ({ pattern: String(pattern), method, call: (payload: unknown) => Promise.resolve().then(() => fn.call(controller, payload)) }));
  });
}

/**
 * A stand-in for every service a controller is built with: each method is a jest.fn answering {}.
 * `calls()` lists what the controller called, so a test can say that nothing was.
 */
export function recordingService(): { service: any; calls: () => string[]; reset: () => void } {
  const fns = new Map<string, jest.Mock>();
  const service = new Proxy(
    {},
    {
      get: (_target, name) => {
        if (typeof name !== 'string' || name === 'then') return undefined;
        if (!fns.has(name)) fns.set(name, jest.fn(async () => ({})));
        return fns.get(name);
      },
    },
  );
  return {
    service,
    calls: () => [...fns].flatMap(([name, fn]) => fn.mock.calls.map(() => name)),
    reset: () => fns.forEach((fn) => fn.mockClear()),
  };
}

/** How a handler answered: accepted, or refused with a DomainError's code and field. */
export async function answer(p: Promise<unknown>): Promise<'accepted' | { code: string; field?: string; message: string }> {
  try {
    await p;
    return 'accepted';
  } catch (err) {
    if (!(err instanceof DomainError)) throw err;
    return { code: err.code, field: err.field, message: err.message };
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * Malformed variants of a valid message, each with the field it must be refused for: not an
 * object, an unknown field, and each field of the wrong type, null, 20,000 characters long, or
 * (an id) not a uuid.
 */
export function malformed(example: Record<string, unknown>): { what: string; payload: unknown; field: string | undefined }[] {
  const cases: { what: string; payload: unknown; field: string | undefined }[] = [
    { what: 'null', payload: null, field: undefined },
    { what: 'a string', payload: 'payload', field: undefined },
    { what: 'an array', payload: [example], field: undefined },
    { what: 'an unknown field', payload: { ...example, isAdmin: true }, field: 'isAdmin' },
  ];
  for (const [field, value] of Object.entries(example)) {
    if (field === 'response') continue; // any JSON: the answer an idempotent POST replays
    cases.push({ what: `${field} of the wrong type`, payload: { ...example, [field]: typeof value === 'string' ? 12345 : 'x' }, field });
    cases.push({ what: `${field} null`, payload: { ...example, [field]: null }, field });
    if (typeof value === 'string') cases.push({ what: `${field} too long`, payload: { ...example, [field]: 'x'.repeat(20_000) }, field });
    if (typeof value === 'string' && UUID.test(value) && /(^id|Id)$/.test(field)) cases.push({ what: `${field} not a uuid`, payload: { ...example, [field]: "' OR 1=1 --" }, field });
  }
  return cases;
}
