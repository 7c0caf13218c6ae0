import type { MeView } from '@am/contracts';

/**
 * Where the signed-in session lives. Today: the bearer token from POST /api/v1/auth/mfa in
 * sessionStorage (gone when the tab closes). Moving to an httpOnly cookie changes only this file
 * (authHeaders() would return nothing and fetch would send credentials).
 */
export interface StoredSession {
  accessToken: string;
  expiresAt: string;
  user: MeView;
}

const KEY = 'access-manager.session';

export function loadSession(): StoredSession | null {
  const raw = sessionStorage.getItem(KEY);
  if (!raw) return null;
  try {
    const s = JSON.parse(raw) as StoredSession;
    return Date.parse(s.expiresAt) > Date.now() ? s : null;
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

/** The headers that prove who is calling. */
export function authHeaders(): Record<string, string> {
  const s = loadSession();
  return s ? { authorization: `Bearer ${s.accessToken}` } : {};
}
