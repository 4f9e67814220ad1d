import { Progress, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { STATUS_COLOR, type ProjectItem, type ProjectStatus, type Target } from './projectsApi';

export function StatusTag({ status }: { status: ProjectStatus }) {
  const { t } = useTranslation();
  return (
    <Tag color={STATUS_COLOR[status]} data-testid="project-status" data-status={status}>
      {t(`projects.statuses.${status}`)}
    </Tag>
  );
}

export function ProgressBar({ item, size }: { item: Pick<ProjectItem, 'progress' | 'status'>; size?: 'small' }) {
  return <Progress percent={item.progress} strokeColor={STATUS_COLOR[item.status]} size={size === 'small' ? 'small' : 'default'} format={(p) => `${(p ?? 0).toFixed(1)}%`} />;
}

const fmt = (n: number) => n.toLocaleString('zh-CN', { maximumFractionDigits: 2 });

export function TargetLine({ t: target }: { t: Target }) {
  return (
    <span className="ms-proj__target" data-testid="project-target">
      {target.metric}：<b>{target.current === null ? '—' : fmt(target.current)}</b> / {fmt(target.target)} {target.unit}
      {target.baseline !== 0 ? `（基数 ${fmt(target.baseline)}）` : ''}
    </span>
  );
}
