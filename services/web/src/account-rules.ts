import { useEffect, useState } from 'react';
import { PASSWORD_POLICY, USER_ID_PATTERN } from '@am/contracts';
import { ApiError } from './api/client';
import type { FieldErrors } from './components/Form';
import { messageOf } from './components/ErrorNote';

// The account forms check what they can before sending (the same rules as the API, from
// @am/contracts), and show the API's refusals next to the field they name.

export const USER_ID_HINT = '3 to 64 characters: lower-case letters, digits, dots (.), hyphens (-) or underscores (_), starting and ending with a letter or digit.';

const PASSWORD_RULE_MESSAGE: Record<string, string> = {
  'min-length': `Your password must be at least ${PASSWORD_POLICY.minLength} characters.`,
  'max-length': `Your password must be at most ${PASSWORD_POLICY.maxLength} characters.`,
  common: 'This password is commonly used, so it is easy to guess: choose another.',
  'contains-user-id': 'Your password must not contain your user ID.',
};

export function userIdProblem(userId: string): string | undefined {
  if (!userId) return 'Enter a user ID.';
  if (USER_ID_PATTERN.test(userId)) return undefined;
  if (userId.length < 3 || userId.length > 64) return 'Your user ID must be 3 to 64 characters.';
  if (USER_ID_PATTERN.test(userId.toLowerCase())) return 'Your user ID must be in lower-case letters.';
  if (!/^[a-z0-9._-]+$/.test(userId)) return 'Your user ID can only contain lower-case letters, digits, dots (.), hyphens (-) and underscores (_).';
  return 'Your user ID must start and end with a letter or digit.';
}

export function emailProblem(email: string): string | undefined {
  if (!email) return 'Enter your email address.';
  if (email.length > 254 || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) return 'Enter an email address in the right format, like name@example.com.';
  return undefined;
}

/** The rules the page can check itself; the API also refuses commonly used passwords. */
export function passwordProblem(password: string, userId?: string): string | undefined {
  if (!password) return 'Enter a password.';
  if ([...password].length < PASSWORD_POLICY.minLength) return PASSWORD_RULE_MESSAGE['min-length'];
  if ([...password].length > PASSWORD_POLICY.maxLength) return PASSWORD_RULE_MESSAGE['max-length'];
  if (userId && password.toLowerCase().includes(userId.toLowerCase())) return PASSWORD_RULE_MESSAGE['contains-user-id'];
  return undefined;
}

/** Only the problems that are there. */
export function problems(all: Record<string, string | undefined>): FieldErrors {
  return Object.fromEntries(Object.entries(all).filter((e): e is [string, string] => e[1] !== undefined));
}

/**
 * An API refusal as the form's problems: on the input it names (`fields` maps the API's field
 * names to input ids), or on the form as a whole.
 */
export function refusalOf(err: unknown, fields: Record<string, string>): FieldErrors {
  if (!(err instanceof ApiError)) return { '': messageOf(err) };
  if (err.code === 'THROTTLED') return { '': `Too many attempts. ${retryHint(err.message)}` };
  const input = err.field ? fields[err.field] : undefined;
  if (!input) return { '': err.message };
  const rule = err.field === 'password' && typeof err.details?.rule === 'string' ? PASSWORD_RULE_MESSAGE[err.details.rule] : undefined;
  return { [input]: rule ?? sentence(err.message) };
}

function retryHint(message: string): string {
  const seconds = Number(/retry after (\d+) s/.exec(message)?.[1]);
  if (!seconds) return 'Wait a while, then try again.';
  const minutes = Math.ceil(seconds / 60);
  return `Try again in ${minutes === 1 ? 'a minute' : `${minutes} minutes`}.`;
}

/** "userId must be ..." as a sentence for a person. */
function sentence(message: string): string {
  const s = message.replace(/^userId\b/, 'Your user ID').replace(/^displayName\b/, 'Your name').replace(/^email\b/, 'Your email address').replace(/^password\b/, 'Your password');
  const capital = s.charAt(0).toUpperCase() + s.slice(1);
  return /[.!?]$/.test(capital) ? capital : `${capital}.`;
}

/** The refusal of a single-use link (INVALID_TOKEN's details.reason), or undefined for any other error. */
export function linkRefusal(err: unknown): 'unknown' | 'used' | 'expired' | undefined {
  if (!(err instanceof ApiError) || err.code !== 'INVALID_TOKEN') return undefined;
  const reason = err.details?.reason;
  return reason === 'used' || reason === 'expired' ? reason : 'unknown';
}

/** A link's token, from the URL fragment (`#token=...`: a fragment never reaches a server or a Referer header). */
function fragmentToken(): string | null {
  const token = new URLSearchParams(window.location.hash.slice(1)).get('token');
  return token && token.trim() ? token.trim() : null;
}

/** Takes the token out of the address bar and the history once the page holds it. */
function forgetFragment(): void {
  if (window.location.hash) window.history.replaceState(window.history.state, '', window.location.pathname + window.location.search);
}

/**
 * The token of the emailed link this page was opened with. Another link opened in the same tab
 * changes only the fragment (no page load): that one is read too.
 */
export function useLinkToken(): string | null {
  const [token, setToken] = useState(fragmentToken);
  useEffect(() => {
    forgetFragment();
    const onHash = () => {
      const next = fragmentToken();
      if (next) setToken(next);
      forgetFragment();
    };
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);
  return token;
}
