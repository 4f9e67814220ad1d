import { Button, Layout, Menu, Space, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Outlet, useLocation, useNavigate } from 'react-router-dom';
import { useAppConfig } from '../config';
import { LanguageSwitch } from '../LanguageSwitch';
import type { Me } from '../types';

export interface NavItem {
  path: string;
  label: string;
}

interface Props {
  user: Me;
  nav: NavItem[];
  onLogout: () => void;
}

/** Staff workbench frame: side menu (already filtered by permission), header with the user and language. */
export function AppLayout({ user, nav, onLogout }: Props) {
  const { t } = useTranslation();
  const config = useAppConfig();
  const navigate = useNavigate();
  const { pathname } = useLocation();
  const selected = nav.find((item) => pathname === item.path || pathname.startsWith(`${item.path}/`))?.path;

  return (
    <Layout className="ms-shell">
      <Layout.Sider breakpoint="lg" collapsedWidth={0} width={200} theme="dark" data-testid="side-menu">
        <div className="ms-brand">
          <div className="ms-brand__name">{t('app.name')}</div>
          <div className="ms-brand__district">{config.districtName}</div>
        </div>
        <Menu
          theme="dark"
          mode="inline"
          selectedKeys={selected ? [selected] : []}
          items={nav.map((item) => ({ key: item.path, label: item.label, 'data-testid': `nav-${item.path.split('/').pop()}` }))}
          onClick={({ key }) => void navigate(key)}
        />
      </Layout.Sider>
      <Layout>
        <Layout.Header className="ms-header">
          {config.demo && <Tag color="orange">{t('common.demo')}</Tag>}
          <span className="ms-header__spacer" />
          <Space size="middle" wrap={false}>
            <span data-testid="current-user">
              <Typography.Text strong>{user.displayName}</Typography.Text>
              <Tag color="blue" style={{ marginInlineStart: 8 }} data-testid="current-role">
                {t(`roles.${user.role}`)}
              </Tag>
              {(user.areaName ?? user.departmentName) && (
                <Typography.Text type="secondary" data-testid="current-area">
                  {user.areaName ?? user.departmentName}
                </Typography.Text>
              )}
            </span>
            <LanguageSwitch />
            <Button size="small" onClick={onLogout} data-testid="logout">
              {t('auth.logout')}
            </Button>
          </Space>
        </Layout.Header>
        <Layout.Content className="ms-content">
          <Outlet />
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
