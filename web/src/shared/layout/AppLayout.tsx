import { Button, Layout, Menu, Space, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Outlet, useLocation, useNavigate } from 'react-router-dom';
import { useAppConfig } from '../config';
import { LanguageSwitch } from '../LanguageSwitch';
import type { Me } from '../types';

export interface NavItem {
  path: string;
  label: string;
  /** The section the item sits in (接诉即办, 自动分析, …). */
  group: string;
}

/** Short menus stay flat; longer ones (a district admin sees twenty pages) get section headers. */
const GROUP_FROM = 8;

function menuItems(nav: NavItem[]) {
  const item = (n: NavItem) => ({ key: n.path, label: n.label, 'data-testid': `nav-${n.path.split('/').pop()}` });
  if (nav.length < GROUP_FROM) return nav.map(item);
  const groups: { key: string; type: 'group'; label: string; children: ReturnType<typeof item>[] }[] = [];
  for (const n of nav) {
    const last = groups.at(-1);
    if (last && last.label === n.group) last.children.push(item(n));
    else groups.push({ key: `group-${groups.length}`, type: 'group', label: n.group, children: [item(n)] });
  }
  return groups;
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
          items={menuItems(nav)}
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
