import { Button } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { useMe } from '../auth/AuthContext';
import { access } from '../auth/permissions';
import { TriageTable } from '../analysis/TriageTable';
import { CreateTicketModal } from './CreateTicketModal';
import { TicketQueue, type QueueView } from './TicketQueue';

/** 工单: the dispatchers' and leaders' queue. */
export default function TicketsPage() {
  const { t } = useTranslation();
  const me = useMe();
  const navigate = useNavigate();
  const [creating, setCreating] = useState(false);
  const views: QueueView[] = [
    { key: 'pending', label: t('tickets.views.pending'), query: { statuses: ['received', 'returned'] } },
    { key: 'handling', label: t('tickets.views.handling'), query: { statuses: ['dispatched', 'in_progress', 'extension_pending'] } },
    { key: 'overdue', label: t('tickets.views.overdue'), query: { statuses: ['open'], overdue: true } },
    { key: 'followUp', label: t('tickets.views.toFollowUp'), query: { statuses: ['replied'] } },
    { key: 'all', label: t('tickets.views.all'), query: {} },
    ...(access.model(me) ? [{ key: 'triage', label: t('model.triageQueue.tab'), query: {}, render: () => <TriageTable /> }] : []),
  ];

  return (
    <>
      <TicketQueue
        views={views}
        extra={() =>
          access.ticketsCreate(me) && (
            <Button type="primary" onClick={() => setCreating(true)} data-testid="ticket-create">
              {t('tickets.create')}
            </Button>
          )
        }
      />
      {access.ticketsCreate(me) && (
        <CreateTicketModal
          open={creating}
          onClose={() => setCreating(false)}
          onCreated={(ticket) => {
            setCreating(false);
            void navigate(`/tickets/${ticket.id}`);
          }}
        />
      )}
    </>
  );
}
