// The signed-in user (GET /api/v1/me), shared through context.
import { createContext, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import type { ReactNode } from 'react';
import { api, ApiError, UNAUTHORIZED_EVENT } from './api.ts';
import type { Me } from './types.ts';

export type SessionState =
  | { status: 'loading' }
  | { status: 'signed-out' }
  | { status: 'signed-in'; me: Me }
  | { status: 'error'; error: ApiError };

interface SessionContextValue {
  state: SessionState;
  me: Me | null;
  /** Re-reads /me (after TOTP enrolment, etc.). */
  refresh: () => Promise<void>;
  /** Sets the session from a login/accept-invitation response. */
  signedIn: (me: Me) => void;
  /** Clears the local session (after logout). */
  signedOut: () => void;
}

const SessionContext = createContext<SessionContextValue | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<SessionState>({ status: 'loading' });

  const refresh = useCallback(async () => {
    try {
      const me = await api<Me>('/me', { quiet401: true });
      setState({ status: 'signed-in', me });
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) setState({ status: 'signed-out' });
      else if (err instanceof ApiError) setState({ status: 'error', error: err });
      else throw err;
    }
  }, []);

  useEffect(() => {
    void refresh();
  }, [refresh]);

  useEffect(() => {
    const onUnauthorized = () => setState({ status: 'signed-out' });
    window.addEventListener(UNAUTHORIZED_EVENT, onUnauthorized);
    return () => window.removeEventListener(UNAUTHORIZED_EVENT, onUnauthorized);
  }, []);

  const signedIn = useCallback((me: Me) => setState({ status: 'signed-in', me }), []);
  const signedOut = useCallback(() => setState({ status: 'signed-out' }), []);

  const value = useMemo<SessionContextValue>(
    () => ({ state, me: state.status === 'signed-in' ? state.me : null, refresh, signedIn, signedOut }),
    [state, refresh, signedIn, signedOut],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionContextValue {
  const ctx = useContext(SessionContext);
  if (!ctx) throw new Error('SessionProvider is missing');
  return ctx;
}

/** The signed-in user; only for components rendered behind <RequireAuth>. */
export function useMe(): Me {
  const { me } = useSession();
  if (!me) throw new Error('useMe() used outside an authenticated route');
  return me;
}
