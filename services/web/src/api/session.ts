import type { MeView } from '@am/contracts';

/**
 * The signed-in session. The session token itself is an httpOnly, SameSite=Strict cookie set by
 * POST /api/v1/auth/mfa with `session: "cookie"`: no script of this page can read it. What the page
 * keeps (in sessionStorage, gone when the tab closes) is who is signed in, until when, and the CSRF
 * token it must echo in X-CSRF-Token on every change.
 */
export interface StoredSession {
  expiresAt: string;
  csrfToken: string;
  user: MeView;
}

const KEY = 'access-manager.session';
const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

export function loadSession(): StoredSession | null {
  const raw = sessionStorage.getItem(KEY);
  if (!raw) return null;
  try {
    const s = JSON.parse(raw) as StoredSession;
    return Date.parse(s.expiresAt) > Date.now() && s.csrfToken ? s : null;
  } catch {
    return null;
  }
}

export function saveSession(s: StoredSession): void {
  sessionStorage.setItem(KEY, JSON.stringify(s));
}

export function clearSession(): void {
  sessionStorage.removeItem(KEY);
}

/** The headers a call needs beside the cookie: the CSRF token on every change. */
export function authHeaders(method = 'GET'): Record<string, string> {
  const s = loadSession();
  return s && !SAFE.has(method) ? { 'x-csrf-token': s.csrfToken } : {};
}
