import { useTranslation } from 'react-i18next';
import { TicketQueue, type QueueView } from './TicketQueue';

/** 我的待办: the handler's unit's tickets (the API filters to the unit). */
export default function InboxPage() {
  const { t } = useTranslation();
  const views: QueueView[] = [
    { key: 'toAccept', label: t('tickets.views.toAccept'), query: { statuses: ['dispatched'] } },
    { key: 'inProgress', label: t('tickets.views.inProgress'), query: { statuses: ['in_progress'] } },
    { key: 'extension', label: t('tickets.views.extension'), query: { statuses: ['extension_pending'] } },
    { key: 'replied', label: t('tickets.views.replied'), query: { statuses: ['replied'] } },
    { key: 'all', label: t('tickets.views.all'), query: {} },
  ];
  return <TicketQueue views={views} />;
}
