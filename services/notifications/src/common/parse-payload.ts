import type { z } from 'zod';
import { DomainError, ERROR_CODES } from '@am/contracts';

/** Validates a message at the boundary: a bad one is refused naming its field. */
export function parsePayload<T>(schema: z.ZodType<T>, payload: unknown): T {
  const r = schema.safeParse(payload);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  throw new DomainError(ERROR_CODES.VALIDATION_FAILED, `${issue.path.join('.') || 'payload'}: ${issue.message}`, issue.path.join('.') || undefined);
}
