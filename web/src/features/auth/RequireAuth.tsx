import { Button, Result } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Navigate, useLocation } from 'react-router-dom';
import type { Me } from '../../shared/types';
import { useAuth } from './AuthContext';

/** Redirects to /login without a session; shows 403 when `allow` says no. */
export function RequireAuth({ children, allow }: { children: ReactNode; allow?: (user: Me) => boolean }) {
  const { user } = useAuth();
  const location = useLocation();
  const { t } = useTranslation();
  if (!user) return <Navigate to="/login" replace state={{ from: location.pathname + location.search }} />;
  if (allow && !allow(user))
    return (
      <Result
        status="403"
        title="403"
        subTitle={t('common.noPermission')}
        extra={
          <Link to="/">
            <Button type="primary">{t('common.backHome')}</Button>
          </Link>
        }
      />
    );
  return <>{children}</>;
}
