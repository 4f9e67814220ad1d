import { Card, Descriptions, Empty, Spin, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Area, Staff } from '../../shared/types';
import { useFetch } from '../../shared/useFetch';
import type { AreaFeature } from './geo';

interface Props {
  feature: AreaFeature;
  /** code → name for every loaded area, to name the parent */
  names: ReadonlyMap<string, string>;
  onClose: () => void;
}

/** Side panel for the area clicked on the map (or in the street list). */
export function AreaDetails({ feature, names, onClose }: Props) {
  const { t } = useTranslation();
  const { code, name, level, parentCode, isDemo } = feature.properties;
  const { data, loading } = useFetch<{ area: Area; staff: Staff[] }>(`/api/v1/areas/${encodeURIComponent(code)}`);
  const parentName = parentCode ? (names.get(parentCode) ?? parentCode) : null;

  return (
    <Card
      size="small"
      className="ms-map-details"
      data-testid="area-details"
      title={
        <>
          {name} {isDemo && <Tag color="orange">{t('common.demo')}</Tag>}
        </>
      }
      extra={
        <a onClick={onClose} role="button" data-testid="area-details-close">
          {t('map.close')}
        </a>
      }
    >
      <Descriptions
        size="small"
        column={1}
        items={[
          { key: 'code', label: t('area.code'), children: code },
          { key: 'level', label: t('area.level'), children: t(`levels.${level}`) },
          {
            key: 'parent',
            label: t('area.parent'),
            children: parentName ? `${parentName}${parentCode && parentName !== parentCode ? ` (${parentCode})` : ''}` : t('common.none'),
          },
          ...(data?.area.statisticalCode
            ? [{ key: 'stat', label: t('area.statisticalCode'), children: data.area.statisticalCode }]
            : []),
        ]}
      />
      {level === 'grid_cell' && (
        <>
          <div style={{ fontWeight: 600, margin: '8px 0 4px' }}>{t('area.staff')}</div>
          {loading ? (
            <Spin size="small" />
          ) : !data ? null : data.staff.length === 0 ? (
            <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('area.noStaff')} />
          ) : (
            <ul className="ms-staff-list" data-testid="area-staff">
              {data.staff.map((s) => (
                <li key={s.id}>
                  <span>
                    <Tag>{s.staffKindName}</Tag>
                    {s.name}
                  </span>
                  <span>{s.phone ?? ''}</span>
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </Card>
  );
}
