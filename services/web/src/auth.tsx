import { createContext, useContext } from 'react';
import type { MeView } from '@am/contracts';

export interface Auth {
  user: MeView;
  signOut: () => Promise<void>;
  /** Reads the signed-in user again (GET /me), e.g. once they hold a new role. */
  refreshUser: () => Promise<void>;
}
export const AuthContext = createContext<Auth | null>(null);

/** The signed-in user; only screens behind sign-in use it. */
export function useAuth(): Auth {
  const a = useContext(AuthContext);
  if (!a) throw new Error('useAuth outside a signed-in page');
  return a;
}

export const isHelpDesk = (u: MeView) => u.platformRole === 'HELP_DESK';
export const isSecurityOfficialAnywhere = (u: MeView) => u.roles.some((r) => r.role === 'SECURITY_OFFICIAL');
