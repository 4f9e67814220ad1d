import { Button, Input, Popconfirm, Select, Space, Table, Tag } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, attempt, withQuery } from '../../api';
import { currentLanguage } from '../../i18n';
import { formatDateTime } from '../../shared/format';
import { ROLES, type Page, type Role, type User } from '../../shared/types';
import { useFetch } from '../../shared/useFetch';
import { useMe } from '../auth/AuthContext';
import { access } from '../auth/permissions';
import { CreateUserModal } from './CreateUserModal';

function isLocked(user: User): boolean {
  return user.lockedUntil !== null && Date.parse(user.lockedUntil) > Date.now();
}

export default function UsersPage() {
  const { t, i18n } = useTranslation();
  const me = useMe();
  const canManage = access.usersManage(me);
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(20);
  const [q, setQ] = useState('');
  const [role, setRole] = useState<Role | undefined>();
  const [creating, setCreating] = useState(false);
  const { data, loading, reload } = useFetch<Page<User>>(withQuery('/api/v1/users', { page, pageSize, q, role }));
  const lang = currentLanguage();

  const act = async (user: User, action: 'disable' | 'enable' | 'unlock') => {
    if (await attempt(api.post(`/api/v1/users/${encodeURIComponent(user.id)}/${action}`))) reload();
  };

  const columns: ColumnsType<User> = [
    {
      key: 'username',
      title: t('users.username'),
      dataIndex: 'username',
      render: (v: string, u) => (
        <>
          {v}
          {u.isDemo && (
            <Tag color="orange" style={{ marginInlineStart: 6 }}>
              {t('common.demo')}
            </Tag>
          )}
        </>
      ),
    },
    { key: 'displayName', title: t('users.displayName'), dataIndex: 'displayName' },
    { key: 'role', title: t('users.role'), dataIndex: 'role', render: (r: Role) => t(`roles.${r}`) },
    { key: 'area', title: t('users.area'), dataIndex: 'areaName', render: (v: string | null) => v ?? t('common.none') },
    {
      key: 'department',
      title: t('users.department'),
      dataIndex: 'departmentName',
      render: (v: string | null) => v ?? t('common.none'),
    },
    { key: 'phone', title: t('users.phone'), dataIndex: 'phone', render: (v: string | null) => v ?? t('common.none') },
    {
      key: 'status',
      title: t('users.status'),
      render: (_, u) => (
        <Space size={4} wrap data-testid="user-status">
          {u.disabled ? <Tag color="red">{t('users.disabled')}</Tag> : !isLocked(u) && <Tag color="green">{t('users.active')}</Tag>}
          {isLocked(u) && <Tag color="orange">{t('users.lockedUntil', { time: formatDateTime(u.lockedUntil, lang) })}</Tag>}
        </Space>
      ),
    },
    { key: 'createdAt', title: t('users.createdAt'), dataIndex: 'createdAt', render: (v: string) => formatDateTime(v, lang) },
  ];
  if (canManage)
    columns.push({
      key: 'actions',
      title: t('common.actions'),
      render: (_, u) => (
        <Space size={0}>
          {u.disabled ? (
            <Button type="link" size="small" onClick={() => act(u, 'enable')} data-testid="user-enable">
              {t('users.enable')}
            </Button>
          ) : (
            <Popconfirm title={t('users.confirmDisable')} onConfirm={() => act(u, 'disable')}>
              <Button type="link" size="small" danger disabled={u.id === me.id} data-testid="user-disable">
                {t('users.disable')}
              </Button>
            </Popconfirm>
          )}
          {isLocked(u) && (
            <Button type="link" size="small" onClick={() => act(u, 'unlock')} data-testid="user-unlock">
              {t('users.unlock')}
            </Button>
          )}
        </Space>
      ),
    });

  return (
    <>
      <div className="ms-toolbar">
        <Input.Search
          allowClear
          placeholder={t('users.searchPlaceholder')}
          style={{ width: 240 }}
          data-testid="user-search"
          onSearch={(value) => {
            setQ(value.trim());
            setPage(1);
          }}
        />
        <Select<Role>
          allowClear
          placeholder={t('users.allRoles')}
          style={{ width: 180 }}
          value={role}
          data-testid="user-role-filter"
          onChange={(value) => {
            setRole(value);
            setPage(1);
          }}
          options={ROLES.map((r) => ({ value: r, label: t(`roles.${r}`) }))}
        />
        <span className="ms-toolbar__spacer" />
        {canManage && (
          <Button type="primary" onClick={() => setCreating(true)} data-testid="user-create">
            {t('users.create')}
          </Button>
        )}
      </div>
      <Table<User>
        key={i18n.language}
        rowKey="id"
        size="middle"
        loading={loading}
        columns={columns}
        dataSource={data?.items ?? []}
        data-testid="users-table"
        scroll={{ x: 'max-content' }}
        pagination={{
          current: page,
          pageSize,
          total: data?.total ?? 0,
          showSizeChanger: true,
          showTotal: (total) => t('common.total', { total }),
          onChange: (p, size) => {
            setPage(size === pageSize ? p : 1);
            setPageSize(size);
          },
        }}
      />
      {canManage && (
        <CreateUserModal
          open={creating}
          onClose={() => setCreating(false)}
          onCreated={() => {
            setCreating(false);
            reload();
          }}
        />
      )}
    </>
  );
}
