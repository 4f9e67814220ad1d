import { Button, Card, Descriptions, Tooltip } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, attempt } from '../../api';
import type { TicketContact, TicketView } from '../../shared/types';
import { useMe } from '../auth/AuthContext';
import { access } from '../auth/permissions';
import { ticketPath } from './ticketsApi';

/** The requester, phone masked; the full number only on request (audited by the server). */
export function RequesterCard({ ticket }: { ticket: TicketView }) {
  const { t } = useTranslation();
  const me = useMe();
  const [contact, setContact] = useState<TicketContact | null>(null);
  const [loading, setLoading] = useState(false);
  const { requester } = ticket;

  const reveal = async () => {
    setLoading(true);
    const res = await attempt(api.get<TicketContact>(`${ticketPath(ticket.id)}/contact`));
    setLoading(false);
    if (res) setContact(res.value);
  };

  return (
    <Card size="small" title={t('tickets.detail.requester')} data-testid="ticket-requester">
      {requester.anonymous ? (
        t('tickets.anonymous')
      ) : (
        <Descriptions
          size="small"
          column={1}
          items={[
            { key: 'name', label: t('tickets.requesterName'), children: contact?.name ?? requester.name ?? t('common.none') },
            {
              key: 'phone',
              label: t('tickets.phone'),
              children: (
                <>
                  <span data-testid="ticket-phone">{contact?.phone ?? requester.phone ?? t('common.none')}</span>
                  {!contact && requester.phone && access.personalRead(me) && (
                    <Tooltip title={t('tickets.detail.revealHint')}>
                      <Button size="small" type="link" loading={loading} onClick={() => void reveal()} data-testid="ticket-reveal-phone">
                        {t('tickets.detail.reveal')}
                      </Button>
                    </Tooltip>
                  )}
                </>
              ),
            },
          ]}
        />
      )}
    </Card>
  );
}
