import { PATTERN_METADATA } from '@nestjs/microservices/constants';
import { DomainError } from '@am/contracts';

/**
 * For the tests of message handlers (the services' unit tests, and the integration tests that
 * talk to a service directly): find a controller's handlers, stand in for its services, and
 * break a valid message in every way a schema must refuse. No test framework needed.
 */

export interface MessageHandler {
  pattern: string;
  method: string;
  /** Calls the handler as the transport would; a refusal, thrown or rejected, rejects. */
  call(payload: unknown): Promise<unknown>;
}

/** Every @MessagePattern handler of a controller instance. */
export function messageHandlers(controller: object): MessageHandler[] {
  const proto = Object.getPrototypeOf(controller) as Record<string, unknown>;
  return Object.getOwnPropertyNames(proto).flatMap((method) => {
    const fn = proto[method];
    if (method === 'constructor' || typeof fn !== 'function') return [];
    const patterns = (Reflect.getMetadata(PATTERN_METADATA, fn) as unknown[] | undefined) ?? [];
    return patterns.map((pattern) => ({ pattern: String(pattern), method, call: (payload: unknown) => Promise.resolve().then(() => fn.call(controller, payload)) }));
  });
}

/**
 * A stand-in for every service a controller is built with: any method answers {} and is recorded,
 * so a test can say what the controller called, with what, or that it called nothing.
 */
export class RecordingService {
  readonly calls: { method: string; args: unknown[] }[] = [];
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- it stands in for any service
  readonly service: any = new Proxy(
    {},
    {
      get: (_target, method) =>
        typeof method !== 'string' || method === 'then'
          ? undefined
          : (...args: unknown[]) => {
              this.calls.push({ method, args });
              return Promise.resolve({});
            },
    },
  );

  reset(): void {
    this.calls.length = 0;
  }
}

export type HandlerAnswer = 'accepted' | { code: string; field: string | undefined; message: string };

/** How a handler answered: accepted, or refused with a DomainError (or its ErrorBody over a transport). */
export async function handlerAnswer(answer: Promise<unknown>): Promise<HandlerAnswer> {
  try {
    await answer;
    return 'accepted';
  } catch (err) {
    if (err instanceof DomainError) return { code: err.code, field: err.field, message: err.message };
    if (DomainError.isErrorBody(err)) return { code: err.code, field: err.field, message: err.message };
    throw err;
  }
}

export interface MalformedPayload {
  what: string;
  payload: unknown;
  /** The field the refusal must name (none when the message is not an object at all). */
  field: string | undefined;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** An id field (userId, id, ...): not `user` (an id or a login id) nor `principal`. */
const ID_FIELD = /(^id|Id)$/;

/**
 * A valid message broken each way a schema must refuse, with the field to name: not an object, an
 * unknown field, and each field of the wrong type, null, 20,000 characters long, (an id) not a
 * uuid, and (unless `optional` says it may be left out) missing.
 */
export function malformedPayloads(example: Record<string, unknown>, optional?: (field: string) => boolean): MalformedPayload[] {
  const cases: MalformedPayload[] = [
    { what: 'null', payload: null, field: undefined },
    { what: 'a string', payload: 'approve everything', field: undefined },
    { what: 'an array', payload: [example], field: undefined },
    { what: 'an unknown field', payload: { ...example, isAdmin: true }, field: 'isAdmin' },
  ];
  for (const [field, value] of Object.entries(example)) {
    if (field === 'response') continue; // any JSON: the answer an idempotent POST replays
    cases.push({ what: `${field} of the wrong type`, payload: { ...example, [field]: typeof value === 'string' ? ['x'] : 'x' }, field });
    cases.push({ what: `${field} null`, payload: { ...example, [field]: null }, field });
    if (optional && !optional(field)) cases.push({ what: `${field} missing`, payload: withoutField(example, field), field });
    if (typeof value === 'string') cases.push({ what: `${field} 20,000 characters long`, payload: { ...example, [field]: 'x'.repeat(20_000) }, field });
    if (typeof value === 'string' && UUID.test(value) && ID_FIELD.test(field)) cases.push({ what: `${field} not a uuid`, payload: { ...example, [field]: `${value}' OR '1'='1` }, field });
  }
  return cases;
}

/** The message without one of its fields. */
export function withoutField<T extends Record<string, unknown>>(message: T, field: string): Partial<T> {
  return Object.fromEntries(Object.entries(message).filter(([k]) => k !== field)) as Partial<T>;
}
