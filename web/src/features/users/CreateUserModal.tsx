import { Form, Input, Modal, Select, TreeSelect } from 'antd';
import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, attempt } from '../../api';
import { currentLanguage } from '../../i18n';
import { useAppConfig } from '../../shared/config';
import { ROLES, type Area, type CodeName, type Items, type Role, type User } from '../../shared/types';
import { useFetch } from '../../shared/useFetch';
import { useAreaTree } from '../areas/useAreaTree';

interface UserForm {
  username: string;
  displayName: string;
  role: Role;
  password: string;
  areaCode?: string;
  departmentCode?: string;
  phone?: string;
}

interface Props {
  open: boolean;
  onClose: () => void;
  onCreated: (user: User) => void;
}

export function CreateUserModal({ open, onClose, onCreated }: Props) {
  const { t } = useTranslation();
  const config = useAppConfig();
  const [form] = Form.useForm<UserForm>();
  const [saving, setSaving] = useState(false);
  const departments = useFetch<Items<CodeName>>(open ? '/api/v1/departments' : null);
  const renderTitle = useCallback((area: Area) => area.name, []);
  const areas = useAreaTree(config.districtCode, renderTitle);

  const close = () => {
    form.resetFields();
    onClose();
  };

  const submit = async (values: UserForm) => {
    const optional = (v: string | undefined) => (v?.trim() ? v.trim() : undefined);
    setSaving(true);
    const res = await attempt(
      api.post<{ user: User }>('/api/v1/users', {
        username: values.username.trim(),
        displayName: values.displayName.trim(),
        role: values.role,
        password: values.password,
        areaCode: optional(values.areaCode),
        departmentCode: optional(values.departmentCode),
        phone: optional(values.phone),
      }),
    );
    setSaving(false);
    if (!res) return;
    form.resetFields();
    onCreated(res.value.user);
  };

  const required = { required: true, whitespace: true, message: t('common.required') };
  return (
    <Modal
      open={open}
      title={t('users.create')}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={saving}
      onOk={() => form.submit()}
      onCancel={close}
    >
      <Form<UserForm> form={form} layout="vertical" onFinish={submit} data-testid="user-form" autoComplete="off">
        <Form.Item name="username" label={t('users.username')} rules={[required]}>
          <Input maxLength={64} autoComplete="off" data-testid="user-username" />
        </Form.Item>
        <Form.Item name="displayName" label={t('users.displayName')} rules={[required]}>
          <Input maxLength={64} data-testid="user-display-name" />
        </Form.Item>
        <Form.Item name="role" label={t('users.role')} rules={[{ required: true, message: t('common.required') }]}>
          <Select data-testid="user-role" options={ROLES.map((r) => ({ value: r, label: t(`roles.${r}`) }))} />
        </Form.Item>
        <Form.Item name="password" label={t('users.password')} rules={[{ required: true, message: t('common.required') }]}>
          <Input.Password autoComplete="new-password" data-testid="user-password" />
        </Form.Item>
        <Form.Item name="areaCode" label={t('users.area')}>
          <TreeSelect
            allowClear
            showSearch={false}
            data-testid="user-area"
            treeData={areas.treeData}
            loadData={(node) => areas.loadChildren(String(node.value))}
            loading={areas.loading}
          />
        </Form.Item>
        <Form.Item name="departmentCode" label={t('users.department')}>
          <Select
            allowClear
            data-testid="user-department"
            loading={departments.loading}
            options={(departments.data?.items ?? []).map((d) => ({
              value: d.code,
              label: currentLanguage() === 'en' ? d.nameEn : d.name,
            }))}
          />
        </Form.Item>
        <Form.Item name="phone" label={t('users.phone')}>
          <Input maxLength={20} data-testid="user-phone" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
