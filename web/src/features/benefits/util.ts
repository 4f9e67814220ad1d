import { useFetch } from '../../shared/useFetch';
import { useTranslation } from 'react-i18next';
import type { Bi } from './types';

/** Today in Asia/Shanghai, YYYY-MM-DD. */
export const today = () => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);

/** Pick the Chinese or English side of a bilingual text by the UI language. */
export function useBi() {
  const { i18n } = useTranslation();
  return (b: Bi) => (i18n.language.startsWith('en') ? b.en : b.zh);
}

/**
 * The latest match run. Before the first match there is none: `none` is true and nothing is
 * fetched that would answer 404 (the API layer would show that as an error to the officer).
 */
export function useLatestRun<T>(enabled = true) {
  const runs = useFetch<{ items: unknown[] }>(enabled ? '/api/v1/benefits/runs' : null);
  const has = (runs.data?.items.length ?? 0) > 0;
  const run = useFetch<T>(has ? '/api/v1/benefits/run' : null);
  return {
    data: run.data,
    loading: runs.loading || run.loading,
    none: runs.data !== undefined && !has,
    reload: () => {
      runs.reload();
      run.reload();
    },
  };
}
