import { useTranslation } from 'react-i18next';
import type { Bi } from './types';

/** Today in Asia/Shanghai, YYYY-MM-DD. */
export const today = () => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);

/** Pick the Chinese or English side of a bilingual text by the UI language. */
export function useBi() {
  const { i18n } = useTranslation();
  return (b: Bi) => (i18n.language.startsWith('en') ? b.en : b.zh);
}
