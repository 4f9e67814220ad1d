import { Button, Card, Form, Input, Select, Space, Table, Tag } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { withQuery } from '../../api';
import { useAuth } from '../auth/AuthContext';
import { useFetch } from '../../shared/useFetch';
import type { PersonItem } from './types';

export const STATUS_CODES = ['dibao', 'dibao_edge', 'tekun', 'living_alone', 'empty_nest', 'veteran', 'poverty_watch', 'pregnancy_planned', 'floating_policy'] as const;

/** 人口检索: masked search within the user's scope (a grid worker sees their own grid only). */
export default function ResidentsPage() {
  const { t } = useTranslation();
  const tk = (key: string, fallback?: string) => t(key as 'residents.title', fallback ?? key);
  const { user } = useAuth();
  const [filters, setFilters] = useState<Record<string, string>>({});
  const [page, setPage] = useState(1);
  const { data, loading } = useFetch<{ items: PersonItem[]; total: number }>(withQuery('/api/v1/residents/persons', { ...filters, page, pageSize: 20 }));
  const canImport = user?.permissions.includes('residents.manage') ?? false;
  return (
    <Card
      title={t('residents.title')}
      extra={canImport ? <Link to="/residents/import" data-testid="residents-import-link">{t('residents.import.title')}</Link> : null}
    >
      <Form
        layout="inline"
        onFinish={(v: Record<string, string | undefined>) => {
          setPage(1);
          setFilters(Object.fromEntries(Object.entries(v).filter(([, x]) => x)) as Record<string, string>);
        }}
        style={{ marginBottom: 16 }}
      >
        <Form.Item name="name" label={t('residents.name')}>
          <Input allowClear data-testid="residents-name" />
        </Form.Item>
        <Form.Item name="idNumber" label={t('residents.idNumber')}>
          <Input allowClear maxLength={18} placeholder={t('residents.idExact')} />
        </Form.Item>
        <Form.Item name="householdCode" label={t('residents.householdCode')}>
          <Input allowClear />
        </Form.Item>
        <Form.Item name="status" label={t('residents.status')}>
          <Select allowClear style={{ width: 160 }} options={STATUS_CODES.map((s) => ({ value: s, label: tk(`residents.statuses.${s}`) }))} />
        </Form.Item>
        <Button type="primary" htmlType="submit" data-testid="residents-search">
          {t('residents.search')}
        </Button>
      </Form>
      <Table<PersonItem>
        rowKey="id"
        loading={loading}
        dataSource={data?.items ?? []}
        data-testid="residents-table"
        pagination={{ current: page, pageSize: 20, total: data?.total ?? 0, onChange: setPage, showSizeChanger: false }}
        columns={[
          { title: t('residents.name'), dataIndex: 'name', render: (v: string, p) => <Link to={`/residents/persons/${p.id}`}>{v}</Link> },
          { title: t('residents.idNumber'), dataIndex: 'idNumber' },
          { title: t('residents.sexAge'), render: (_, p) => `${tk(`residents.sex.${p.sex}`)} · ${p.age}` },
          { title: t('residents.household'), render: (_, p) => (p.household ? <Link to={`/residents/households/${p.household.id}`}>{p.household.code}</Link> : '—') },
          { title: t('residents.address'), render: (_, p) => p.household?.address ?? '—' },
          {
            title: t('residents.status'),
            render: (_, p) => (
              <Space size={[0, 4]} wrap>
                {p.diedOn ? <Tag color="default">{t('residents.died')}</Tag> : null}
                {p.movedOutOn ? <Tag color="default">{t('residents.movedOut')}</Tag> : null}
                {p.statuses.map((s) => <Tag key={s} color="blue">{tk(`residents.statuses.${s}`, s)}</Tag>)}
                {p.isDemo ? <Tag>{t('residents.demo')}</Tag> : null}
              </Space>
            ),
          },
        ]}
      />
    </Card>
  );
}
