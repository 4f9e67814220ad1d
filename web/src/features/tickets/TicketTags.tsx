import { Space, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { TicketStatus, TicketView } from '../../shared/types';

export const STATUS_COLOR: Record<TicketStatus, string> = {
  received: 'blue',
  returned: 'magenta',
  dispatched: 'geekblue',
  in_progress: 'processing',
  extension_pending: 'gold',
  replied: 'cyan',
  closed: 'success',
  merged: 'default',
};

export function StatusTag({ status }: { status: TicketStatus }) {
  const { t } = useTranslation();
  return (
    <Tag color={STATUS_COLOR[status]} data-status={status}>
      {t(`tickets.statuses.${status}`)}
    </Tag>
  );
}

/** 超期 (red), 即将超期 (orange), 计时暂停 — what needs attention first. */
export function DeadlineTags({ ticket }: { ticket: Pick<TicketView, 'overdue' | 'dueSoon' | 'paused'> }) {
  const { t } = useTranslation();
  if (!ticket.overdue && !ticket.dueSoon && !ticket.paused) return null;
  return (
    <Space size={2} wrap>
      {ticket.overdue && (
        <Tag color="red" data-testid="tag-overdue">
          {t('tickets.overdue')}
        </Tag>
      )}
      {ticket.dueSoon && (
        <Tag color="orange" data-testid="tag-due-soon">
          {t('tickets.dueSoon')}
        </Tag>
      )}
      {ticket.paused && <Tag data-testid="tag-paused">{t('tickets.paused')}</Tag>}
    </Space>
  );
}
