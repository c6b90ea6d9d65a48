import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { api, ApiError, onUnauthenticated, setCsrfToken } from './api.ts';
import { setUtilityTimeZone } from './format.ts';
import { roleAllows, type Access as ServerAccess } from '../../src/platform/actor.ts';
import type { Role, User } from './types.ts';

/** Who is signed in. `undefined` while the session is being restored on load. */
interface Session {
  user: User | null | undefined;
  /** Set when the session could not be restored for a reason other than "not signed in". */
  loadError: string | null;
  signIn(username: string, password: string): Promise<void>;
  signOut(): Promise<void>;
}

const SessionContext = createContext<Session | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [user, setUser] = useState<User | null | undefined>(undefined);
  const [loadError, setLoadError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    api.probe<{ user: User; csrfToken: string | null; timeZone: string }>('/auth/me').then(
      (me) => {
        if (!live) return;
        setCsrfToken(me.csrfToken);
        setUtilityTimeZone(me.timeZone);
        setUser(me.user);
      },
      (error: unknown) => {
        if (!live) return;
        if (!(error instanceof ApiError && error.status === 401)) setLoadError((error as Error).message);
        setUser(null);
      },
    );
    const off = onUnauthenticated(() => {
      setCsrfToken(null);
      setUser(null);
    });
    return () => {
      live = false;
      off();
    };
  }, []);

  const signIn = useCallback(async (username: string, password: string) => {
    const result = await api.login<{ user: User; csrfToken: string; timeZone: string }>({ username, password });
    setCsrfToken(result.csrfToken);
    setUtilityTimeZone(result.timeZone);
    setLoadError(null);
    setUser(result.user);
  }, []);

  const signOut = useCallback(async () => {
    try {
      await api.post('/auth/logout');
    } finally {
      setCsrfToken(null);
      setUser(null);
    }
  }, []);

  const value = useMemo(() => ({ user, loadError, signIn, signOut }), [user, loadError, signIn, signOut]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside SessionProvider');
  return session;
}

/** The signed-in user; only for components shown after sign-in. */
export function useUser(): User {
  const { user } = useSession();
  if (!user) throw new Error('useUser before sign-in');
  return user;
}

/**
 * The server's own access check (src/platform/actor.ts, bundled: it has no imports), so the app
 * hides what a role cannot do; the server still decides. `audit`: auditor, supervisor, admin. The
 * write ladder is csr1 < csr2 < supervisor < admin; the auditor is on no rung of it.
 */
export type Access = Exclude<ServerAccess, 'public'>;
export { roleAllows };

export function useCan(access: Access): boolean {
  return roleAllows(useUser().role, access);
}

export const roleNames: Record<Role, string> = {
  csr1: 'CSR I',
  csr2: 'CSR II',
  supervisor: 'Supervisor',
  admin: 'Administrator',
  auditor: 'Auditor',
};
