import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useAppConfig } from '../../shared/config';
import type { Area, CodeName, Items, UnitKey } from '../../shared/types';
import { useFetch } from '../../shared/useFetch';

export interface UnitOption {
  value: UnitKey;
  label: string;
}

export interface Units {
  /** grouped options for a unit Select: departments, then streets (属地) */
  options: { label: string; options: UnitOption[] }[];
  /** the display name of a unit key; the key itself when unknown */
  name: (unit: UnitKey | null | undefined) => string;
  loading: boolean;
}

/** Handling units: departments (GET /departments) and the district's streets (GET /areas). */
export function useUnits(): Units {
  const { t, i18n } = useTranslation();
  const { districtCode } = useAppConfig();
  const departments = useFetch<Items<CodeName>>('/api/v1/departments');
  const streets = useFetch<Items<Area>>(`/api/v1/areas?parent=${encodeURIComponent(districtCode)}`);
  const en = i18n.language === 'en';

  return useMemo(() => {
    const deps: UnitOption[] = (departments.data?.items ?? []).map((d) => ({
      value: `department:${d.code}`,
      label: en && d.nameEn ? d.nameEn : d.name,
    }));
    const subs: UnitOption[] = (streets.data?.items ?? []).map((a) => ({ value: `subdistrict:${a.code}`, label: a.name }));
    const names = new Map<string, string>([...deps, ...subs].map((o) => [o.value, o.label]));
    return {
      options: [
        { label: t('tickets.units.departments'), options: deps },
        { label: t('tickets.units.streets'), options: subs },
      ],
      name: (unit) => (unit ? (names.get(unit) ?? unit) : t('common.none')),
      loading: departments.loading || streets.loading,
    };
  }, [departments.data, departments.loading, streets.data, streets.loading, en, t]);
}
