import { Alert, Card, Descriptions, Empty, Spin, Tag, Tree, Typography } from 'antd';
import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { access } from '../auth/permissions';
import { useMe } from '../auth/AuthContext';
import { useAppConfig } from '../../shared/config';
import type { Area, Staff } from '../../shared/types';
import { useFetch } from '../../shared/useFetch';
import { StaffTable } from './StaffTable';
import { useAreaTree } from './useAreaTree';

const IMPORT_COMMAND = 'npx minsheng areas import-geojson --level grid_cell --crs gcj02 <file.geojson>';

function AreaTitle({ area }: { area: Area }) {
  const { t } = useTranslation();
  return (
    <span data-testid="area-node" data-code={area.code}>
      {area.name} <Typography.Text type="secondary">{area.code}</Typography.Text>
      {area.isDemo && (
        <Tag color="orange" style={{ marginInlineStart: 6 }}>
          {t('common.demo')}
        </Tag>
      )}
    </span>
  );
}

function AreaCard({ code, canManage }: { code: string; canManage: boolean }) {
  const { t } = useTranslation();
  const { data, loading, reload } = useFetch<{ area: Area; staff: Staff[] }>(`/api/v1/areas/${encodeURIComponent(code)}`);
  if (!data) return <Card loading={loading} />;
  const { area, staff } = data;
  const yesNo = (v: boolean) => (v ? t('common.yes') : t('common.no'));
  return (
    <Card title={area.name} data-testid="area-card" extra={area.isDemo && <Tag color="orange">{t('area.isDemo')}</Tag>}>
      <Descriptions
        size="small"
        bordered
        column={1}
        items={[
          { key: 'code', label: t('area.code'), children: area.code },
          { key: 'stat', label: t('area.statisticalCode'), children: area.statisticalCode ?? t('common.none') },
          { key: 'level', label: t('area.level'), children: t(`levels.${area.level}`) },
          { key: 'parent', label: t('area.parent'), children: area.parentCode ?? t('common.none') },
          { key: 'path', label: t('area.path'), children: <Typography.Text code>{area.path}</Typography.Text> },
          { key: 'geom', label: t('area.hasGeometry'), children: yesNo(area.hasGeometry) },
          { key: 'demo', label: t('area.isDemo'), children: yesNo(area.isDemo) },
          { key: 'children', label: t('area.childCount'), children: area.childCount },
        ]}
      />
      {area.level === 'grid_cell' && (
        <>
          <Typography.Title level={5} style={{ marginTop: 16 }}>
            {t('area.staff')}
          </Typography.Title>
          <StaffTable areaCode={area.code} staff={staff} canManage={canManage} onChanged={reload} />
        </>
      )}
    </Card>
  );
}

export default function AreasPage() {
  const { t } = useTranslation();
  const config = useAppConfig();
  const me = useMe();
  const renderTitle = useCallback((area: Area) => <AreaTitle area={area} />, []);
  const { treeData, loading, loadChildren } = useAreaTree(config.districtCode, renderTitle);
  const [selected, setSelected] = useState<string | null>(null);

  return (
    <div style={{ display: 'flex', gap: 16, alignItems: 'flex-start', flexWrap: 'wrap' }}>
      <Card title={`${t('area.tree')} · ${config.districtName}`} style={{ width: 380, flex: 'none' }}>
        {loading ? (
          <Spin />
        ) : (
          <Tree
            data-testid="area-tree"
            treeData={treeData}
            loadData={(node) => loadChildren(String(node.key))}
            selectedKeys={selected ? [selected] : []}
            onSelect={(keys) => setSelected(keys[0] === undefined ? null : String(keys[0]))}
            height={560}
          />
        )}
      </Card>
      <div style={{ flex: 1, minWidth: 360, display: 'flex', flexDirection: 'column', gap: 16 }}>
        {selected ? (
          <AreaCard key={selected} code={selected} canManage={access.areasManage(me)} />
        ) : (
          <Card>
            <Empty description={t('area.selectHint')} />
          </Card>
        )}
        <Alert
          type="info"
          showIcon
          data-testid="import-hint"
          title={t('area.importTitle')}
          description={
            <>
              <div>{t('area.importHint')}</div>
              <Typography.Text code copyable>
                {IMPORT_COMMAND}
              </Typography.Text>
              <div>{t('area.importHelp')}</div>
            </>
          }
        />
      </div>
    </div>
  );
}
