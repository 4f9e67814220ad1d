import { Spin } from 'antd';
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError, attempt } from '../../api';
import type { Me } from '../../shared/types';

interface AuthState {
  user: Me | null;
  login: (username: string, password: string) => Promise<Me>;
  logout: () => Promise<void>;
  /** Forget the session locally (after a 401). */
  clear: () => void;
}

const AuthContext = createContext<AuthState | null>(null);

export function AuthProvider({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const [user, setUser] = useState<Me | null>(null);
  const [checked, setChecked] = useState(false);

  useEffect(() => {
    const controller = new AbortController();
    api.get<{ user: Me }>('/api/v1/auth/me', { quiet: true, signal: controller.signal }).then(
      (res) => {
        setUser(res.user);
        setChecked(true);
      },
      (err: unknown) => {
        if (controller.signal.aborted) return;
        if (!(err instanceof ApiError) || err.status !== 401) console.warn('session probe failed', err);
        setChecked(true);
      },
    );
    return () => controller.abort();
  }, []);

  const login = useCallback(async (username: string, password: string) => {
    const res = await api.post<{ user: Me }>('/api/v1/auth/login', { username, password }, { quiet: true });
    setUser(res.user);
    return res.user;
  }, []);

  const logout = useCallback(async () => {
    await attempt(api.post<void>('/api/v1/auth/logout', {}, { quiet: true }));
    setUser(null);
  }, []);

  const clear = useCallback(() => setUser(null), []);
  const value = useMemo(() => ({ user, login, logout, clear }), [user, login, logout, clear]);

  if (!checked)
    return (
      <div className="ms-center">
        <Spin size="large" description={t('app.loading')} />
      </div>
    );
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthState {
  const state = useContext(AuthContext);
  if (!state) throw new Error('useAuth outside AuthProvider');
  return state;
}

/** The signed-in user; only for pages under <RequireAuth>. */
export function useMe(): Me {
  const { user } = useAuth();
  if (!user) throw new Error('useMe without a signed-in user');
  return user;
}
