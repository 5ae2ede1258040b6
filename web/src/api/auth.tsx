// Who is logged in. On load the app asks GET /me: a live session cookie
// logs the user straight in; otherwise the login page shows.
import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react';
import { api, setCsrfToken, setUnauthorizedHandler } from './client';
import type { Me } from './types';

interface AuthState {
  me: Me | null;
  checked: boolean; // GET /me has answered
  login: (name: string, password: string) => Promise<void>;
  logout: () => Promise<void>;
  can: (permission: string) => boolean;
}

const AuthContext = createContext<AuthState | null>(null);

export function AuthProvider({ children }: { children: ReactNode }) {
  const [me, setMe] = useState<Me | null>(null);
  const [checked, setChecked] = useState(false);

  const refresh = useCallback(async () => {
    try {
      const m = await api.get<Me>('/me');
      setCsrfToken(m.session?.csrf_token ?? '');
      setMe(m);
    } catch {
      setMe(null);
    } finally {
      setChecked(true);
    }
  }, []);

  useEffect(() => {
    setUnauthorizedHandler(() => {
      setCsrfToken('');
      setMe(null);
    });
    void refresh();
  }, [refresh]);

  const login = useCallback(
    async (name: string, password: string) => {
      const r = await api.post<{ csrf_token: string }>('/session', { name, password });
      setCsrfToken(r.csrf_token);
      await refresh();
    },
    [refresh],
  );

  const logout = useCallback(async () => {
    try {
      await api.del('/session');
    } finally {
      setCsrfToken('');
      setMe(null);
    }
  }, []);

  const can = useCallback((p: string) => !!me && me.permissions.includes(p), [me]);

  return <AuthContext.Provider value={{ me, checked, login, logout, can }}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthState {
  const ctx = useContext(AuthContext);
  if (!ctx) throw new Error('useAuth outside AuthProvider');
  return ctx;
}
