import { App, Alert, Button, Card, Col, Descriptions, Result, Row, Space, Spin, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { currentLanguage } from '../../i18n';
import { formatDateTime } from '../../shared/format';
import type { TicketAct, TicketDetail, TicketView } from '../../shared/types';
import { useFetch } from '../../shared/useFetch';
import { ActModal } from './ActModal';
import { RequesterCard } from './RequesterCard';
import { NearbyCard, PhotosCard } from './TicketExtras';
import { DuplicateCandidates } from '../analysis/DuplicateCandidates';
import { KnowledgeAnswersCard } from '../analysis/KnowledgeAnswers';
import { ModelSuggestionsCard } from '../analysis/ModelSuggestions';
import { TicketMap, type TicketPoint } from './TicketMap';
import { TicketTimeline } from './TicketTimeline';
import { DeadlineTags, StatusTag } from './TicketTags';
import { ticketPath } from './ticketsApi';
import { useUnits, type Units } from './useUnits';
import './tickets.css';

function Header({ ticket, units }: { ticket: TicketView; units: Units }) {
  const { t } = useTranslation();
  const lang = currentLanguage();
  const none = t('common.none');
  return (
    <Card size="small">
      <Space wrap size="middle" align="center">
        <Typography.Title level={4} style={{ margin: 0 }} data-testid="ticket-number">
          {ticket.number}
        </Typography.Title>
        <span data-testid="ticket-status" data-status={ticket.status}>
          <StatusTag status={ticket.status} />
        </span>
        <DeadlineTags ticket={ticket} />
      </Space>
      <Descriptions
        size="small"
        style={{ marginTop: 12 }}
        column={{ xs: 1, md: 2, xl: 4 }}
        items={[
          { key: 'type', label: t('tickets.type'), children: t(`tickets.types.${ticket.type}`) },
          { key: 'channel', label: t('tickets.channel'), children: t(`tickets.channels.${ticket.channel}`) },
          { key: 'urgency', label: t('tickets.urgency'), children: t(`tickets.urgencies.${ticket.urgency}`) },
          { key: 'category', label: t('tickets.category'), children: ticket.category?.name ?? none },
          { key: 'lead', label: t('tickets.leadUnit'), children: units.name(ticket.leadUnit) },
          {
            key: 'assisting',
            label: t('tickets.assistingUnits'),
            children: ticket.assistingUnits.length ? ticket.assistingUnits.map((u) => units.name(u)).join(lang === 'en' ? ', ' : '、') : none,
          },
          {
            key: 'acceptDue',
            label: t('tickets.acceptDueAt'),
            children: formatDateTime(ticket.acceptDueAt, lang) || none,
          },
          {
            key: 'due',
            label: t('tickets.dueAt'),
            children: (
              <Typography.Text type={ticket.overdue ? 'danger' : undefined} data-testid="ticket-due">
                {formatDateTime(ticket.dueAt, lang) || none}
              </Typography.Text>
            ),
          },
          { key: 'created', label: t('tickets.createdAt'), children: formatDateTime(ticket.createdAt, lang) },
          { key: 'closed', label: t('tickets.closedAt'), children: formatDateTime(ticket.closedAt, lang) || none },
          { key: 'resolution', label: t('tickets.resolution'), children: ticket.resolution ? t(`tickets.resolutions.${ticket.resolution}`) : none },
          { key: 'rating', label: t('tickets.rating'), children: ticket.rating ? t(`tickets.ratings.${ticket.rating}`) : none },
        ]}
      />
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {t('tickets.counts', { returns: ticket.returns, reopens: ticket.reopens, urges: ticket.urges })}
      </Typography.Text>
    </Card>
  );
}

function LocationCard({ ticket }: { ticket: TicketView }) {
  const { t } = useTranslation();
  const { location: l } = ticket;
  const points = useMemo<TicketPoint[]>(
    () => (l.lon !== null && l.lat !== null ? [{ id: ticket.id, lon: l.lon, lat: l.lat, overdue: ticket.overdue }] : []),
    [ticket.id, l.lon, l.lat, ticket.overdue],
  );
  const none = t('common.none');
  return (
    <Card size="small" title={t('tickets.location')} data-testid="ticket-location">
      <Descriptions
        size="small"
        column={1}
        items={[
          { key: 'address', label: t('tickets.address'), children: l.address ?? none },
          { key: 'street', label: t('tickets.street'), children: l.subdistrict?.name ?? none },
          { key: 'community', label: t('tickets.community'), children: l.community?.name ?? none },
          { key: 'grid', label: t('tickets.gridCell'), children: l.gridCell?.name ?? none },
        ]}
      />
      {points.length > 0 ? (
        <TicketMap points={points} single height={220} />
      ) : (
        <Typography.Text type="secondary">{t('tickets.detail.noLocation')}</Typography.Text>
      )}
    </Card>
  );
}

function ActionBar({ acts, onAct }: { acts: TicketAct[]; onAct: (act: TicketAct) => void }) {
  const { t } = useTranslation();
  if (acts.length === 0) return <Typography.Text type="secondary">{t('tickets.detail.noActs')}</Typography.Text>;
  return (
    <div className="ms-ticket-actions" data-testid="ticket-actions">
      {acts.map((act, i) => (
        <Button key={act} type={i === 0 ? 'primary' : 'default'} onClick={() => onAct(act)} data-testid={`act-${act}`}>
          {t(`tickets.acts.${act}`)}
        </Button>
      ))}
    </div>
  );
}

/** /tickets/:id — the ticket, its timeline and the acts the signed-in user may take. */
export default function TicketDetailPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const units = useUnits();
  const { data, loading, error, reload } = useFetch<TicketDetail>(ticketPath(id));
  const [act, setAct] = useState<TicketAct | null>(null);

  if (!data) {
    if (error) return <Result status={error.status === 404 ? '404' : 'warning'} title={error.message} extra={<Button onClick={() => void navigate(-1)}>{t('tickets.detail.back')}</Button>} />;
    return (
      <div className="ms-center">
        <Spin />
      </div>
    );
  }
  const { ticket, timeline, allowedActs } = data;

  return (
    <div data-testid="ticket-detail" data-number={ticket.number}>
      <div className="ms-toolbar">
        <Button onClick={() => void navigate(-1)} data-testid="ticket-back">
          ← {t('tickets.detail.back')}
        </Button>
        <span className="ms-toolbar__spacer" />
        {loading && <Spin size="small" />}
        <ActionBar acts={allowedActs} onAct={setAct} />
      </div>
      <Space orientation="vertical" size={12} style={{ width: '100%' }}>
        <Header ticket={ticket} units={units} />
        {ticket.mergedInto && (
          <Alert
            type="info"
            showIcon
            title={t('tickets.detail.mergedInto')}
            action={<Link to={`/tickets/${ticket.mergedInto}`}>{t('tickets.detail.openMerged')}</Link>}
          />
        )}
        <Row gutter={[12, 12]}>
          <Col xs={24} lg={15}>
            <Space orientation="vertical" size={12} style={{ width: '100%' }}>
              <Card size="small" title={ticket.title} data-testid="ticket-content">
                <Typography.Paragraph className="ms-ticket-text">{ticket.content}</Typography.Paragraph>
              </Card>
              <Card size="small" title={t('tickets.detail.timeline')}>
                <TicketTimeline events={timeline} units={units} />
              </Card>
            </Space>
          </Col>
          <Col xs={24} lg={9}>
            <Space orientation="vertical" size={12} style={{ width: '100%' }}>
              {allowedActs.includes('dispatch') && <ModelSuggestionsCard ticketId={ticket.id} />}
              <LocationCard ticket={ticket} />
              <RequesterCard ticket={ticket} />
              <PhotosCard ticketId={ticket.id} attachments={data.attachments} onAdded={reload} />
              {(allowedActs.includes('dispatch') || allowedActs.includes('merge')) && <NearbyCard ticketId={ticket.id} />}
              {(allowedActs.includes('dispatch') || allowedActs.includes('merge')) && <DuplicateCandidates ticketId={ticket.id} canMerge={allowedActs.includes('merge')} onMerged={reload} />}
              {(allowedActs.includes('answerDirectly') || allowedActs.includes('reply')) && <KnowledgeAnswersCard ticketId={ticket.id} />}
            </Space>
          </Col>
        </Row>
      </Space>
      <ActModal
        act={act}
        ticket={ticket}
        units={units}
        onClose={() => setAct(null)}
        onDone={(result) => {
          if (result === 'ok' && act) void message.success(t('tickets.act.done', { act: t(`tickets.acts.${act}`) }));
          if (result === 'stale') void message.warning(t('tickets.act.conflict'));
          setAct(null);
          reload();
        }}
      />
    </div>
  );
}
