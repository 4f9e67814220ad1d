/** Beside a ticket: likely duplicates nearby (for the dispatcher) and the photos. */
import { Button, Card, Empty, Image, List, Space, Tag, Typography } from 'antd';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { api, attempt } from '../../api';
import { currentLanguage } from '../../i18n';
import { formatDateTime } from '../../shared/format';
import type { TicketAttachment, TicketView } from '../../shared/types';
import { useFetch } from '../../shared/useFetch';
import { ticketPath } from './ticketsApi';

type Nearby = TicketView & { sameGridCell: boolean };

export function NearbyCard({ ticketId }: { ticketId: string }) {
  const { t } = useTranslation();
  const lang = currentLanguage();
  const { data } = useFetch<{ items: Nearby[] }>(`${ticketPath(ticketId)}/nearby`);
  const items = data?.items ?? [];
  return (
    <Card size="small" title={t('tickets.nearby.title')} data-testid="ticket-nearby">
      {items.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('tickets.nearby.none')} />
      ) : (
        <List
          size="small"
          dataSource={items}
          renderItem={(n) => (
            <List.Item data-testid="nearby-item">
              <Space orientation="vertical" size={0}>
                <Link to={`/tickets/${n.id}`}>
                  {n.number} · {n.title}
                </Link>
                <Typography.Text type="secondary">
                  {formatDateTime(n.createdAt, lang)} {n.sameGridCell && <Tag color="orange">{t('tickets.nearby.sameCell')}</Tag>}
                </Typography.Text>
              </Space>
            </List.Item>
          )}
        />
      )}
      <Typography.Text type="secondary">{t('tickets.nearby.hint')}</Typography.Text>
    </Card>
  );
}

export const toBase64 = (file: File) =>
  new Promise<string>((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ''));
    reader.onerror = () => reject(reader.error ?? new Error('read failed'));
    reader.readAsDataURL(file);
  });

export function PhotosCard({ ticketId, attachments, onAdded }: { ticketId: string; attachments: TicketAttachment[]; onAdded: () => void }) {
  const { t } = useTranslation();
  const input = useRef<HTMLInputElement>(null);
  const [busy, setBusy] = useState(false);
  const upload = async (file: File | undefined) => {
    if (!file) return;
    setBusy(true);
    const ok = await attempt(api.post(`${ticketPath(ticketId)}/attachments`, { fileName: file.name, contentBase64: await toBase64(file) }));
    setBusy(false);
    if (input.current) input.current.value = '';
    if (ok) onAdded();
  };
  return (
    <Card
      size="small"
      title={t('tickets.photos.title')}
      data-testid="ticket-photos"
      extra={
        <>
          <input ref={input} type="file" accept="image/jpeg,image/png,image/webp" hidden data-testid="photo-input" onChange={(e) => void upload(e.target.files?.[0])} />
          <Button size="small" loading={busy} onClick={() => input.current?.click()} data-testid="photo-add">
            {t('tickets.photos.add')}
          </Button>
        </>
      }
    >
      {attachments.length === 0 ? (
        <Typography.Text type="secondary">{t('tickets.photos.none')}</Typography.Text>
      ) : (
        <Image.PreviewGroup>
          <Space wrap>
            {attachments.map((a) => (
              <Image key={a.id} width={96} height={96} style={{ objectFit: 'cover' }} src={`${ticketPath(ticketId)}/attachments/${a.id}`} alt={a.fileName} />
            ))}
          </Space>
        </Image.PreviewGroup>
      )}
      <div>
        <Typography.Text type="secondary">{t('tickets.photos.limits')}</Typography.Text>
      </div>
    </Card>
  );
}
