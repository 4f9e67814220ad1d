import { Form, Select } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TicketView } from '../../shared/types';
import { listTickets } from './ticketsApi';

/** 并单: pick the open ticket to merge into, searched by number or title. */
export function MergeField({ ticketId }: { ticketId: string }) {
  const { t } = useTranslation();
  const [q, setQ] = useState('');
  const [items, setItems] = useState<TicketView[]>([]);
  const [loading, setLoading] = useState(false);

  useEffect(() => {
    const controller = new AbortController();
    setLoading(true);
    const timer = setTimeout(() => {
      listTickets({ status: 'open', q: q.trim() || undefined }, 1, 20, controller.signal).then(
        (r) => {
          setItems(r.items.filter((x) => x.id !== ticketId));
          setLoading(false);
        },
        () => setLoading(false),
      );
    }, 250);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [q, ticketId]);

  return (
    <Form.Item name="into" label={t('tickets.act.into')} rules={[{ required: true, message: t('common.required') }]}>
      <Select
        showSearch={{ filterOption: false, onSearch: setQ }}
        loading={loading}
        placeholder={t('tickets.act.intoPlaceholder')}
        data-testid="act-merge-into"
        options={items.map((x) => ({ value: x.id, label: `${x.number} ${x.title}` }))}
      />
    </Form.Item>
  );
}
