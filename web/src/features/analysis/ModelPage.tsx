import { App, Button, Card, Descriptions, Popconfirm, Progress, Space, Table, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, attempt } from '../../api';
import { useAuth } from '../auth/AuthContext';
import { formatDateTime } from '../../shared/format';
import { currentLanguage } from '../../i18n';
import { useFetch } from '../../shared/useFetch';
import { ModelConfusion } from './ModelConfusion';

interface Version {
  id: string;
  version: number;
  active: boolean;
  isDemo: boolean;
  createdAt: string;
  labels: { code: string; name: string }[];
  macroF1: number | null;
  accuracy: number | null;
  training: Record<string, unknown>;
}
interface Run {
  id: string;
  status: 'running' | 'succeeded' | 'failed';
  stage: string;
  percent: number;
  error: string | null;
  startedAt: string;
}
interface Detail extends Version {
  metrics: { labels: string[]; confusion: number[][]; perClass: Record<string, { precision: number; recall: number; f1: number; support: number }>; evaluatedOn: string; calibration: { temperature: number; ece: number } };
}

/** 分类模型: versions with metrics, the confusion matrix, retraining with progress, activate and roll back. */
export default function ModelPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { user } = useAuth();
  const canManage = !!user?.permissions.includes('analysis.manage');
  const { data, reload } = useFetch<{ items: Version[]; runs: Run[]; settings: { triageThreshold: number } }>('/api/v1/analysis/models');
  const [selected, setSelected] = useState<number | null>(null);
  const [run, setRun] = useState<Run | null>(null);
  const version = selected ?? data?.items.find((v) => v.active)?.version ?? data?.items[0]?.version ?? null;
  const detail = useFetch<Detail>(version ? `/api/v1/analysis/models/${version}` : null);

  useEffect(() => {
    if (!run || run.status !== 'running') return;
    const timer = setTimeout(async () => {
      const r = await attempt(api.get<{ run: Run }>(`/api/v1/analysis/models/runs/${run.id}`));
      if (!r) return;
      setRun(r.value.run);
      if (r.value.run.status === 'succeeded') {
        void message.success(t('model.trained'));
        reload();
      }
      if (r.value.run.status === 'failed') void message.error(r.value.run.error ?? t('model.failed'));
    }, 700);
    return () => clearTimeout(timer);
  }, [run, reload, message, t]);

  const train = async (source: 'tickets' | 'demo') => {
    const r = await attempt(api.post<{ run: Run }>('/api/v1/analysis/models/train', { source, activate: false }));
    if (r) setRun(r.value.run);
  };
  const activate = async (v: number) => {
    if (await attempt(api.post(`/api/v1/analysis/models/${v}/activate`, {}))) {
      void message.success(t('model.activated', { v }));
      reload();
    }
  };
  const rollback = async () => {
    const r = await attempt(api.post<{ model: Version }>('/api/v1/analysis/models/rollback', {}));
    if (r) {
      void message.success(t('model.rolledBack', { v: r.value.model.version }));
      reload();
    }
  };

  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }} data-testid="model-page">
      <Card
        size="small"
        title={t('model.title')}
        extra={
          canManage && (
            <Space>
              <Button type="primary" onClick={() => void train('tickets')} disabled={run?.status === 'running'} data-testid="model-train">
                {t('model.retrain')}
              </Button>
              <Button onClick={() => void train('demo')} disabled={run?.status === 'running'}>
                {t('model.retrainDemo')}
              </Button>
              <Popconfirm title={t('model.rollbackConfirm')} onConfirm={() => void rollback()}>
                <Button>{t('model.rollback')}</Button>
              </Popconfirm>
            </Space>
          )
        }
      >
        {run && (
          <div style={{ marginBottom: 12 }} data-testid="model-progress">
            <Typography.Text>{t(`model.run.${run.status}`)} · {run.stage}</Typography.Text>
            <Progress percent={run.percent} status={run.status === 'failed' ? 'exception' : run.status === 'running' ? 'active' : 'success'} />
            {run.error && <Typography.Text type="danger">{run.error}</Typography.Text>}
          </div>
        )}
        <Typography.Paragraph type="secondary">{t('model.threshold', { p: Math.round((data?.settings.triageThreshold ?? 0.5) * 100) })}</Typography.Paragraph>
        <Table<Version>
          size="small"
          rowKey="version"
          dataSource={data?.items ?? []}
          pagination={false}
          onRow={(v) => ({ onClick: () => setSelected(v.version), style: { cursor: 'pointer' } })}
          rowClassName={(v) => (v.version === version ? 'ant-table-row-selected' : '')}
          columns={[
            { title: t('model.version'), dataIndex: 'version', render: (v: number, r) => <Space>v{v}{r.active && <Tag color="green">{t('model.active')}</Tag>}{r.isDemo && <Tag color="purple">{t('model.demo')}</Tag>}</Space> },
            { title: 'macro-F1', dataIndex: 'macroF1', render: (v: number | null) => v ?? '—' },
            { title: t('model.accuracy'), dataIndex: 'accuracy', render: (v: number | null) => v ?? '—' },
            { title: t('model.labels'), render: (_, r) => r.labels.length },
            { title: t('model.rows'), render: (_, r) => String(r.training.rows ?? '—') },
            { title: t('model.created'), dataIndex: 'createdAt', render: (v: string) => formatDateTime(v, currentLanguage()) },
            ...(canManage ? [{ title: '', render: (_: unknown, r: Version) => !r.active && <Button size="small" onClick={(e) => { e.stopPropagation(); void activate(r.version); }}>{t('model.activate')}</Button> }] : []),
          ]}
        />
      </Card>
      {detail.data && (
        <Card size="small" title={t('model.detail', { v: detail.data.version })}>
          <Descriptions size="small" column={{ xs: 1, md: 3 }}>
            <Descriptions.Item label={t('model.evaluatedOn')}>{detail.data.metrics.evaluatedOn}</Descriptions.Item>
            <Descriptions.Item label={t('model.temperature')}>{detail.data.metrics.calibration?.temperature}</Descriptions.Item>
            <Descriptions.Item label="ECE">{detail.data.metrics.calibration?.ece}</Descriptions.Item>
          </Descriptions>
          <ModelConfusion labels={detail.data.metrics.labels.map((l) => detail.data!.labels.find((x) => x.code === l)?.name ?? l)} confusion={detail.data.metrics.confusion} />
          <Table
            size="small"
            rowKey="label"
            pagination={false}
            dataSource={Object.entries(detail.data.metrics.perClass).map(([label, m]) => ({ label: detail.data!.labels.find((x) => x.code === label)?.name ?? label, ...m }))}
            columns={[
              { title: t('model.label'), dataIndex: 'label' },
              { title: t('model.precision'), dataIndex: 'precision' },
              { title: t('model.recall'), dataIndex: 'recall' },
              { title: 'F1', dataIndex: 'f1' },
              { title: t('model.support'), dataIndex: 'support' },
            ]}
          />
        </Card>
      )}
    </Space>
  );
}
