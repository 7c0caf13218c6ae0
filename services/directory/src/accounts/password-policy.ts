import { dictionary } from '@zxcvbn-ts/language-common';
import { DomainError, ERROR_CODES, PASSWORD_POLICY } from '@am/contracts';

/**
 * The password policy of issue 10 (NIST SP 800-63B: length, no known-common passwords, nothing
 * derived from the account's name; no composition rules). The common passwords are the ~49,000 of
 * zxcvbn-ts's list, a pinned, well-kept package, compared case-insensitively.
 */
const COMMON_PASSWORDS = new Set(dictionary['passwords-common'].map((p) => p.toLowerCase()));

export type PasswordRule = 'min-length' | 'max-length' | 'common' | 'contains-user-id';

export interface PasswordViolation {
  rule: PasswordRule;
  message: string;
}

/** The first rule `password` breaks for the account `loginId`, or null when it keeps them all. */
export function passwordViolation(password: string, loginId: string): PasswordViolation | null {
  const length = [...password].length;
  if (length < PASSWORD_POLICY.minLength) return { rule: 'min-length', message: `password must be at least ${PASSWORD_POLICY.minLength} characters` };
  if (length > PASSWORD_POLICY.maxLength) return { rule: 'max-length', message: `password must be at most ${PASSWORD_POLICY.maxLength} characters` };
  if (COMMON_PASSWORDS.has(password.toLowerCase())) {
    return { rule: 'common', message: 'password is a commonly used password: choose one that is not on lists of common passwords' };
  }
  if (loginId && password.toLowerCase().includes(loginId.toLowerCase())) return { rule: 'contains-user-id', message: 'password must not contain your user id' };
  return null;
}

/** Refuses a password that breaks the policy, naming the field and the rule. */
export function assertPasswordPolicy(password: string, loginId: string): void {
  const v = passwordViolation(password, loginId);
  if (v) throw new DomainError(ERROR_CODES.VALIDATION_FAILED, v.message, 'password', { rule: v.rule });
}
