import type { ProvenCommand } from './messages';

/**
 * Email preferences (issue 19, part 4): per-request emails (the default) or one daily digest of
 * the requests waiting on the user, at their hour in their time zone. In-app notices stay live
 * whatever the choice; decisions, removals, escalations and what goes to a requester stay immediate.
 */
export const EMAIL_DIGEST_MODES = ['IMMEDIATE', 'DAILY'] as const;
export type EmailDigestMode = (typeof EMAIL_DIGEST_MODES)[number];

/** As the API spells them (`PUT /me/preferences {emailDigest}`). */
export const EMAIL_DIGEST_CHOICES = ['immediate', 'daily'] as const;
export type EmailDigestChoice = (typeof EMAIL_DIGEST_CHOICES)[number];

export const DEFAULT_DIGEST_HOUR = 8;
export const DEFAULT_TIME_ZONE = 'America/New_York';

/** A time zone this runtime's Intl knows by its IANA name (e.g. America/New_York, Asia/Kolkata, UTC). */
export function isTimeZone(value: string): boolean {
  if (!/^[A-Za-z][A-Za-z0-9_+\-/]{0,63}$/.test(value)) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}
export const TIME_ZONE_RULE = 'must be an IANA time zone such as America/New_York';

export interface EmailPreferencesView {
  emailDigest: EmailDigestChoice;
  /** The local hour (0-23) the daily digest goes out at. */
  digestHour: number;
  /** The IANA time zone of digestHour. */
  timeZone: string;
}

/** Sets the caller's own preferences; an omitted digestHour or timeZone keeps the current one. */
export interface UpdateEmailPreferencesCommand extends ProvenCommand {
  userId: string;
  emailDigest: EmailDigestChoice;
  digestHour?: number;
  timeZone?: string;
}
