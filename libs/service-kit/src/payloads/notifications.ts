import { z } from 'zod';
import type { ListNoticesQuery, MarkNoticeReadCommand, NoticeFeedQuery, NOTIFICATIONS_PATTERNS, QueueAccountEmailCommand } from '@am/contracts';
import { isoDateTime, messageSchema } from './fields';

/** The gateway's notices routes: the caller's own notices (ids the notifications database made, v4 uuids). */
const listNotices = messageSchema<ListNoticesQuery>()({
  userId: z.uuid(),
  unreadOnly: z.boolean().default(false),
  limit: z.int().min(1).max(200).default(50),
});

const markNoticeRead = messageSchema<MarkNoticeReadCommand>()({ userId: z.uuid(), noticeId: z.uuid() });

/** The gateway's live feed: every user's notices after `since`. */
const noticeFeed = messageSchema<NoticeFeedQuery>()({ since: isoDateTime().optional(), limit: z.int().min(1).max(1000).default(500) });

// The directory's account emails: one schema per template, each naming exactly its data.
const recipient = z.strictObject({ email: z.email(), displayName: z.string().min(1).max(200) });
const loginId = z.string().min(1).max(100);
const linkData = z.strictObject({ loginId, token: z.string().regex(/^[A-Za-z0-9_-]{20,100}$/), expiresAt: isoDateTime() });
const loginIdData = z.strictObject({ loginId });
const email = <T extends string, D extends z.ZodType>(template: T, data: D) =>
  z.strictObject({ idempotencyKey: z.string().min(1).max(200), to: recipient, template: z.literal(template), data });

const queueAccountEmail = z.discriminatedUnion('template', [
  email('verify-email', linkData),
  email('password-reset', linkData),
  email('email-already-registered', loginIdData),
  email('user-id-reminder', loginIdData),
  email('password-changed', loginIdData),
  email('account-disabled', loginIdData),
  email('account-enabled', loginIdData),
  email('two-factor-reset', loginIdData),
]) satisfies z.ZodType<QueueAccountEmailCommand>;

type NotificationsPattern = Exclude<keyof typeof NOTIFICATIONS_PATTERNS, 'health'>;

/**
 * The schema of every message the notifications service serves, by its key in
 * NOTIFICATIONS_PATTERNS (health takes no payload). A pattern added without a schema fails to compile here.
 */
export const notificationsPayloads = {
  listNotices,
  markNoticeRead,
  noticeFeed,
  queueAccountEmail,
} satisfies Record<NotificationsPattern, z.ZodType>;
