import type { z } from 'zod';
import { DomainError, ERROR_CODES } from '@am/contracts';

/** How much of a field name a refusal repeats: an unknown key is the sender's text, of any length. */
const FIELD_MAX = 100;

/**
 * Validates a message at the boundary of its handler: a bad one is refused (VALIDATION_FAILED)
 * naming its field, as `<field>: <rule>`, before any service code runs. Every @MessagePattern
 * handler with a payload calls this first, with the payload's schema (see ./payloads).
 */
export function parsePayload<T>(schema: z.ZodType<T>, payload: unknown): T {
  const r = schema.safeParse(payload);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  // An unknown key is reported on its object; name the key itself.
  const path = issue.code === 'unrecognized_keys' ? [...issue.path, issue.keys[0]] : issue.path;
  const field = path.map(String).join('.').slice(0, FIELD_MAX);
  const message = issue.code === 'unrecognized_keys' ? 'is not a field of this message' : issue.message;
  throw new DomainError(ERROR_CODES.VALIDATION_FAILED, `${field || 'payload'}: ${message}`, field || undefined);
}
