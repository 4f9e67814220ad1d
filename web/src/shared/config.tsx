import { Button, Result, Spin } from 'antd';
import { createContext, useContext, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { AppConfig } from './types';
import { useFetch } from './useFetch';

const ConfigContext = createContext<AppConfig | null>(null);

/** Loads the public GET /api/v1/config once and provides it to the app. */
export function AppConfigProvider({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const { data, error, reload } = useFetch<AppConfig>('/api/v1/config');
  if (data) return <ConfigContext.Provider value={data}>{children}</ConfigContext.Provider>;
  if (error)
    return (
      <Result
        status="warning"
        title={t('app.configFailed')}
        subTitle={error.message}
        extra={<Button onClick={reload}>{t('app.retry')}</Button>}
      />
    );
  return (
    <div className="ms-center">
      <Spin size="large" description={t('app.loading')} />
    </div>
  );
}

export function useAppConfig(): AppConfig {
  const config = useContext(ConfigContext);
  if (!config) throw new Error('useAppConfig outside AppConfigProvider');
  return config;
}
