import { createHmac, timingSafeEqual } from 'node:crypto';
import type { CookieOptions, Response } from 'express';
import type { GatewayConfig } from '../config/gateway.config';

/** The web UI's session: the session token in an httpOnly cookie, never readable by scripts. */
export const SESSION_COOKIE = 'am_session';
/**
 * Double-submit CSRF token: readable by the page (not httpOnly), which echoes it in X-CSRF-Token on
 * every unsafe request. It is an HMAC of the session id, so it cannot be forged for another session.
 */
export const CSRF_COOKIE = 'am_csrf';
export const CSRF_HEADER = 'x-csrf-token';

export function csrfTokenFor(sessionId: string, secret: string): string {
  return createHmac('sha256', secret).update(`csrf:${sessionId}`).digest('base64url');
}

export function csrfTokenMatches(sessionId: string, given: string | undefined, secret: string): boolean {
  if (!given) return false;
  const expected = Buffer.from(csrfTokenFor(sessionId, secret));
  const actual = Buffer.from(given);
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

function base(config: GatewayConfig, expiresAt: string): CookieOptions {
  return { secure: config.COOKIE_SECURE, sameSite: 'strict', path: '/', expires: new Date(expiresAt) };
}

export function setSessionCookies(res: Response, config: GatewayConfig, s: { accessToken: string; expiresAt: string; csrfToken: string }): void {
  res.cookie(SESSION_COOKIE, s.accessToken, { ...base(config, s.expiresAt), httpOnly: true });
  res.cookie(CSRF_COOKIE, s.csrfToken, { ...base(config, s.expiresAt), httpOnly: false });
}

export function clearSessionCookies(res: Response, config: GatewayConfig): void {
  const opts: CookieOptions = { secure: config.COOKIE_SECURE, sameSite: 'strict', path: '/' };
  res.clearCookie(SESSION_COOKIE, { ...opts, httpOnly: true });
  res.clearCookie(CSRF_COOKIE, opts);
}
