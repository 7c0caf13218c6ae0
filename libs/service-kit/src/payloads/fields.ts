import { z } from 'zod';
import { MAX_PAGE_SIZE } from '@am/contracts';

/**
 * The fields the message schemas share. Each bound is at least what the gateway lets through (its
 * DTOs), so a request the gateway accepts is never refused here; what only another process on the
 * internal network could send is.
 */

/**
 * A message's schema: a strict object (an unknown field is refused, naming it) whose fields are
 * exactly those of the contract type T, each producing what T says. Neither can gain, lose or
 * retype a field without the other failing to compile.
 */
export function messageSchema<T>() {
  return <S extends { [K in keyof T]-?: z.ZodType<T[K]> }>(shape: S & { [K in Exclude<keyof S, keyof T>]: never }) => z.strictObject(shape);
}

/** Node reads at most 16 KiB of request headers: a value taken from a header is never longer. */
export const HEADER_MAX = 16 * 1024;

/**
 * An id the database keeps as a uuid: any version, as the gateway's IsUUID('all') and
 * PostgreSQL's uuid type accept, so a well-formed id that names nothing still gets its 404.
 */
export const uuid = () => z.guid({ error: 'must be a UUID' });

/**
 * The gateway's caller proof (SECURITY.md). Only its type is checked here: the CallerProofVerifier
 * refuses a missing, empty or oversized proof as UNAUTHENTICATED, and logs it, like a forged one.
 * A command without a proof is an unauthenticated command, not a malformed one. Bounded in size,
 * like every string of a message.
 */
export const callerProof = () => z.string().max(HEADER_MAX).default('');

/** A user's login id, as the gateway's sign-in and forgot-password forms take it. */
export const loginId = () => z.string().min(1).max(100);

/** The help desk names an account by its id or its login id (the gateway's UserRefParams). */
export const userRef = () => z.string().regex(/^[A-Za-z0-9._@-]{1,100}$/, 'must be a user id or a UUID');

/**
 * An email address as the gateway's IsEmail takes it (quoted local parts, any TLD shape): one
 * address, at most 254 characters. The gateway checks the finer syntax.
 */
export const email = () => z.string().max(254).regex(/^\S(?:.*\S)?@[^\s@]+$/, 'must be an email address');

/** A password as typed: the policy itself (PASSWORD_POLICY) is the directory's to check, naming the rule. */
export const password = () => z.string().max(1000);

/** A single-use link's token (email verification, password reset). */
export const linkToken = () => z.string().min(1).max(200);

/** A 6-digit TOTP code. */
export const totpCode = () => z.string().regex(/^\d{6}$/, 'must be 6 digits');

/** ISO 8601 with a time and an offset, as toISOString() writes it. */
export const isoDateTime = () => z.iso.datetime({ offset: true });

/** An ISO 8601 date or date-time that the service can read (a period's bound). */
export const isoDate = () =>
  z
    .string()
    .max(64)
    .refine((s) => !Number.isNaN(Date.parse(s)), 'must be an ISO 8601 date or date-time');

/** A page of a list: 1-based, at most MAX_PAGE_SIZE rows. */
export const page = () => z.int().min(1);
export const pageSize = () => z.int().min(1).max(MAX_PAGE_SIZE);

/** A session's lifetime in seconds (the gateway's ACCESS_TOKEN_TTL_SECONDS). */
export const ttlSeconds = () => z.int().min(1);
