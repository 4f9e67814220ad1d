import { App, Button, Card, Empty, Input, Popconfirm, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { api, attempt } from '../../api';
import { useMe } from '../auth/AuthContext';
import { currentLanguage } from '../../i18n';
import { formatDateTime } from '../../shared/format';
import { useFetch } from '../../shared/useFetch';

interface Task {
  id: string;
  gridCellCode: string;
  gridCellName: string | null;
  label: string;
  description: string;
  keywords: string[];
  ticketIds: string[];
  ticketCount: number;
  requesters: number;
  hotIndex: number;
  firstAt: string;
  lastAt: string;
  status: 'open' | 'in_progress' | 'done' | 'dismissed';
  note: string | null;
  isDemo: boolean;
}

const STATUS_COLOR: Record<Task['status'], string> = { open: 'red', in_progress: 'blue', done: 'green', dismissed: 'default' };

/** /analysis/tasks — 主动治理: repeat complaints at one grid cell, as tasks for its staff. */
export default function HotTasksPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const me = useMe();
  const lang = currentLanguage();
  const { data, loading, reload } = useFetch<{ items: Task[] }>('/api/v1/analysis/proactive-tasks');
  const [notes, setNotes] = useState<Record<string, string>>({});
  const canGenerate = me.permissions.includes('tickets.dispatch');
  const canAct = me.permissions.includes('tickets.create');

  const generate = async () => {
    const r = await attempt(api.post<{ created: number; updated: number }>('/api/v1/analysis/proactive-tasks/generate'));
    if (r) {
      void message.success(t('insights.tasks.generated', r.value));
      reload();
    }
  };
  const setStatus = async (task: Task, status: 'in_progress' | 'done' | 'dismissed') => {
    const note = notes[task.id]?.trim();
    const r = await attempt(api.post(`/api/v1/analysis/proactive-tasks/${task.id}/status`, { status, ...(note ? { note } : {}) }));
    if (r) reload();
  };

  return (
    <div data-testid="proactive-tasks-page">
      <div className="ms-toolbar">
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('insights.tasks.title')}
        </Typography.Title>
        <span className="ms-toolbar__spacer" />
        {canGenerate && (
          <Button onClick={() => void generate()} data-testid="tasks-generate">
            {t('insights.tasks.generate')}
          </Button>
        )}
      </div>
      <Typography.Paragraph type="secondary">{t('insights.tasks.hint')}</Typography.Paragraph>
      <Card size="small">
        <Table<Task>
          size="small"
          rowKey="id"
          loading={loading}
          dataSource={data?.items ?? []}
          pagination={{ pageSize: 20 }}
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('insights.tasks.none')} /> }}
          expandable={{
            expandedRowRender: (task) => (
              <Space orientation="vertical" size={2}>
                <Typography.Text>{task.description}</Typography.Text>
                {task.ticketIds.map((id, i) => (
                  <Link key={id} to={`/tickets/${id}`}>
                    {t('insights.hot.tickets')} {i + 1}
                  </Link>
                ))}
                {task.note && <Typography.Text type="secondary">{t('insights.tasks.note')}：{task.note}</Typography.Text>}
              </Space>
            ),
          }}
          columns={[
            { title: t('insights.tasks.gridCell'), key: 'cell', width: 140, render: (_: unknown, task) => task.gridCellName ?? task.gridCellCode },
            { title: t('insights.tasks.issue'), dataIndex: 'label', render: (x: string) => <Typography.Text strong data-testid="task-label">{x}</Typography.Text> },
            { title: t('insights.tasks.tickets'), dataIndex: 'ticketCount', width: 70 },
            { title: t('insights.tasks.requesters'), dataIndex: 'requesters', width: 80 },
            { title: t('insights.tasks.period'), key: 'period', width: 150, render: (_: unknown, task) => `${formatDateTime(task.firstAt, lang).slice(0, 10)} ~ ${formatDateTime(task.lastAt, lang).slice(0, 10)}` },
            { title: t('insights.tasks.status'), dataIndex: 'status', width: 90, render: (s: Task['status']) => <Tag color={STATUS_COLOR[s]}>{t(`insights.tasks.statuses.${s}`)}</Tag> },
            {
              title: t('insights.tasks.actions'),
              key: 'act',
              width: 300,
              render: (_: unknown, task) =>
                canAct && (task.status === 'open' || task.status === 'in_progress') ? (
                  <Space wrap size={4}>
                    <Input size="small" placeholder={t('insights.tasks.note')} style={{ width: 120 }} value={notes[task.id] ?? ''} onChange={(e) => setNotes({ ...notes, [task.id]: e.target.value })} />
                    {task.status === 'open' && (
                      <Button size="small" onClick={() => void setStatus(task, 'in_progress')} data-testid="task-start">
                        {t('insights.tasks.start')}
                      </Button>
                    )}
                    <Button size="small" type="primary" onClick={() => void setStatus(task, 'done')} data-testid="task-done">
                      {t('insights.tasks.done')}
                    </Button>
                    <Popconfirm title={t('insights.tasks.dismiss')} onConfirm={() => void setStatus(task, 'dismissed')}>
                      <Button size="small">{t('insights.tasks.dismiss')}</Button>
                    </Popconfirm>
                  </Space>
                ) : null,
            },
          ]}
        />
      </Card>
    </div>
  );
}
