import { Button, Form, Input, Modal, Popconfirm, Select, Table } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, attempt } from '../../api';
import { currentLanguage } from '../../i18n';
import type { CodeName, Items, Staff } from '../../shared/types';
import { useFetch } from '../../shared/useFetch';

interface Props {
  areaCode: string;
  staff: Staff[];
  canManage: boolean;
  onChanged: () => void;
}

interface StaffForm {
  staffKind: string;
  name: string;
  phone?: string;
}

/** A grid cell's staff (网格员, 电力服务员, 家庭医生…) with add and remove. */
export function StaffTable({ areaCode, staff, canManage, onChanged }: Props) {
  const { t } = useTranslation();
  const [adding, setAdding] = useState(false);
  const [saving, setSaving] = useState(false);
  const [form] = Form.useForm<StaffForm>();
  const kinds = useFetch<Items<CodeName>>(canManage ? '/api/v1/areas/staff-kinds' : null);
  const base = `/api/v1/areas/${encodeURIComponent(areaCode)}/staff`;

  const add = async (values: StaffForm) => {
    setSaving(true);
    const phone = values.phone?.trim();
    const ok = await attempt(
      api.post<{ staff: Staff }>(base, { staffKind: values.staffKind, name: values.name.trim(), ...(phone ? { phone } : {}) }),
    );
    setSaving(false);
    if (!ok) return;
    setAdding(false);
    form.resetFields();
    onChanged();
  };

  const remove = async (id: string) => {
    if (await attempt(api.del(`${base}/${encodeURIComponent(id)}`))) onChanged();
  };

  return (
    <>
      {canManage && (
        <div className="ms-toolbar">
          <span className="ms-toolbar__spacer" />
          <Button type="primary" size="small" onClick={() => setAdding(true)} data-testid="staff-add">
            {t('area.addStaff')}
          </Button>
        </div>
      )}
      <Table<Staff>
        size="small"
        rowKey="id"
        pagination={false}
        dataSource={staff}
        data-testid="staff-table"
        locale={{ emptyText: t('area.noStaff') }}
        columns={[
          { key: 'kind', title: t('area.staffKind'), dataIndex: 'staffKindName' },
          { key: 'name', title: t('area.staffName'), dataIndex: 'name' },
          { key: 'phone', title: t('area.phone'), dataIndex: 'phone', render: (v: string | null) => v ?? t('common.none') },
          ...(canManage
            ? [
                {
                  key: 'actions',
                  title: t('common.actions'),
                  render: (_: unknown, row: Staff) => (
                    <Popconfirm title={t('area.confirmRemoveStaff')} onConfirm={() => remove(row.id)}>
                      <Button type="link" danger size="small" data-testid="staff-remove">
                        {t('common.remove')}
                      </Button>
                    </Popconfirm>
                  ),
                },
              ]
            : []),
        ]}
      />
      <Modal
        open={adding}
        title={t('area.addStaff')}
        okText={t('common.save')}
        cancelText={t('common.cancel')}
        confirmLoading={saving}
        onOk={() => form.submit()}
        onCancel={() => {
          setAdding(false);
          form.resetFields();
        }}
      >
        <Form<StaffForm> form={form} layout="vertical" onFinish={add} data-testid="staff-form">
          <Form.Item name="staffKind" label={t('area.staffKind')} rules={[{ required: true, message: t('common.required') }]}>
            <Select
              loading={kinds.loading}
              data-testid="staff-kind"
              options={(kinds.data?.items ?? []).map((k) => ({
                value: k.code,
                label: currentLanguage() === 'en' ? k.nameEn : k.name,
              }))}
            />
          </Form.Item>
          <Form.Item
            name="name"
            label={t('area.staffName')}
            rules={[{ required: true, whitespace: true, message: t('common.required') }]}
          >
            <Input maxLength={50} data-testid="staff-name" />
          </Form.Item>
          <Form.Item
            name="phone"
            label={t('area.phone')}
            rules={[{ pattern: /^[0-9+\-() ]{5,20}$/, message: t('area.phoneInvalid') }]}
          >
            <Input maxLength={20} data-testid="staff-phone" />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
