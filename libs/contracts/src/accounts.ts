import type { PlatformRole } from './domain';
import type { OneTimeTokenStep, ProvenCommand, SignedInSession } from './messages';

/**
 * The stated password policy (issue 10), checked by the directory on registration and reset, and
 * shown by the web UI next to the password field.
 */
export const PASSWORD_POLICY = {
  minLength: 12,
  maxLength: 128,
  description:
    'At least 12 and at most 128 characters; not a commonly used password; not containing your user id. ' +
    'A passphrase of several unrelated words is easy to remember and hard to guess.',
} as const;

/** What a user id may look like when it is registered: lower case, so no two ids differ by case only. */
export const USER_ID_PATTERN = /^[a-z0-9](?:[a-z0-9._-]{1,62})[a-z0-9]$/;
export const USER_ID_RULE = 'userId must be 3 to 64 lower-case letters, digits, dots, hyphens or underscores, starting and ending with a letter or digit';

/** Recovery codes issued at two-factor enrollment: each replaces a security code once. */
export const RECOVERY_CODE_COUNT = 10;

export interface RegisterAccountCommand {
  loginId: string;
  displayName: string;
  email: string;
  password: string;
}

/** A single-use link's token (email verification, password reset). */
export interface AccountTokenCommand {
  token: string;
}

export interface VerifyEmailResult {
  /** The login id of the account whose email address is now verified. */
  loginId: string;
}

export interface ResetPasswordCommand {
  token: string;
  password: string;
}

export interface ForgotUserIdCommand {
  email: string;
}

export interface ForgotPasswordCommand {
  loginId: string;
}

/** A new TOTP secret, shown once: the authenticator app reads it from the otpauth URI (or its QR code). */
export interface IssuedTotpSecret {
  secret: string;
  otpauthUri: string;
  issuer: string;
  accountName: string;
}

/** Issues a TOTP secret to the account of an enrollment token (not spent: the confirmation spends it). */
export interface IssueTotpSecretCommand extends ProvenCommand {
  userId: string;
  tokenId: string;
}

export interface ConfirmEnrollmentCommand extends OneTimeTokenStep {
  userId: string;
  code: string;
  sessionTtlSeconds: number;
}

/** Enrollment confirmed: the sign-in's session, and the recovery codes, shown this once. */
export interface EnrolledSession extends SignedInSession {
  recoveryCodes: string[];
}

/** An account as the help desk sees it. */
export interface AccountView {
  id: string;
  loginId: string;
  displayName: string;
  email: string;
  platformRole: PlatformRole | null;
  emailVerified: boolean;
  twoFactorEnrolled: boolean;
  recoveryCodesRemaining: number;
  disabled: boolean;
  disabledAt: string | null;
  createdAt: string;
}

/** The help desk acting on an account: `user` is its id or login id. */
export interface AccountAdminCommand extends ProvenCommand {
  actorId: string;
  user: string;
  reason: string;
}

export interface AccountRef {
  viewerId: string;
  user: string;
}

/** The account emails, by template; none of them is tied to a role request. */
export type AccountEmail =
  /** To a new registration's address: the single-use link that verifies it. */
  | { template: 'verify-email'; data: { loginId: string; token: string; expiresAt: string } }
  /** To the address of an existing account, when someone registers again with it (no account is created). */
  | { template: 'email-already-registered'; data: { loginId: string } }
  /** "Forgot user id": the user id of the account with this address. */
  | { template: 'user-id-reminder'; data: { loginId: string } }
  /** "Forgot password": the single-use link that sets a new password. */
  | { template: 'password-reset'; data: { loginId: string; token: string; expiresAt: string } }
  /** After a reset: the password changed and every session ended. */
  | { template: 'password-changed'; data: { loginId: string } }
  /** The help desk disabled, re-enabled, or reset the two-factor of the account. */
  | { template: 'account-disabled'; data: { loginId: string } }
  | { template: 'account-enabled'; data: { loginId: string } }
  | { template: 'two-factor-reset'; data: { loginId: string } };
export type AccountEmailTemplate = AccountEmail['template'];

/**
 * Queues one account email with the notifications service. The key makes it exactly-once (a retry
 * of the same key sends nothing twice); a link's token is in `data.token` and nowhere else.
 */
export type QueueAccountEmailCommand = {
  idempotencyKey: string;
  to: { email: string; displayName: string };
} & AccountEmail;
