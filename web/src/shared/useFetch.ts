import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../api';

export interface FetchState<T> {
  data: T | undefined;
  loading: boolean;
  error: ApiError | undefined;
  reload: () => void;
}

/**
 * GET `path` (skipped while null); refetches when the path or the UI language changes (names and
 * messages are localised by Accept-Language). Errors are already shown by the API layer.
 */
export function useFetch<T>(path: string | null): FetchState<T> {
  const { i18n } = useTranslation();
  const [data, setData] = useState<T>();
  const [error, setError] = useState<ApiError>();
  const [loading, setLoading] = useState(path !== null);
  const [token, setToken] = useState(0);
  const reload = useCallback(() => setToken((n) => n + 1), []);

  useEffect(() => {
    if (path === null) {
      setLoading(false);
      return;
    }
    const controller = new AbortController();
    setLoading(true);
    api.get<T>(path, { signal: controller.signal }).then(
      (result) => {
        setData(result);
        setError(undefined);
        setLoading(false);
      },
      (err: unknown) => {
        if (controller.signal.aborted) return;
        setError(err instanceof ApiError ? err : new ApiError(0, 'unknown', String(err)));
        setLoading(false);
      },
    );
    return () => controller.abort();
  }, [path, token, i18n.language]);

  return { data, loading, error, reload };
}
