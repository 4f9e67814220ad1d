import { Alert, Button, Card, Col, Row, Space, Spin, Statistic, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { TICKET_STATUSES, type StatRate } from '../../shared/types';
import { OpenByStreetChart } from './OpenByStreetChart';
import { TicketMap, type TicketPoint } from './TicketMap';
import { useDashboardData } from './useDashboardData';
import { HotIssuesCard } from '../analysis/HotIssuesCard';
import './tickets.css';

const percent = (r: StatRate) => (r.rate === null ? '—' : `${(r.rate * 100).toFixed(1)}%`);

function Legend() {
  const { t } = useTranslation();
  return (
    <span>
      <span className="ms-dashboard-legend">
        <span className="ms-dashboard-legend__dot" style={{ background: '#1677ff' }} />
        {t('dashboard.legendOpen')}
      </span>
      <span className="ms-dashboard-legend">
        <span className="ms-dashboard-legend__dot" style={{ background: '#f5222d' }} />
        {t('dashboard.legendOverdue')}
      </span>
    </span>
  );
}

/** 领导看板: counts by status, open and overdue, open tickets per street and on the map. */
export default function DashboardPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [token, setToken] = useState(0);
  const { data, loading } = useDashboardData(token);
  const points = useMemo<TicketPoint[]>(
    () =>
      (data?.openTickets ?? []).flatMap((x) =>
        x.location.lon !== null && x.location.lat !== null ? [{ id: x.id, lon: x.location.lon, lat: x.location.lat, overdue: x.overdue }] : [],
      ),
    [data],
  );

  if (!data)
    return (
      <div className="ms-center" data-testid="dashboard">
        <Spin />
      </div>
    );
  const unlocated = data.openTickets.length - points.length;

  return (
    <div data-testid="dashboard">
      <div className="ms-toolbar">
        <span className="ms-toolbar__spacer" />
        {loading && <Spin size="small" />}
        <Button onClick={() => setToken((n) => n + 1)} data-testid="dashboard-reload">
          ↻
        </Button>
      </div>
      <Row gutter={[12, 12]}>
        <Col xs={12} md={6}>
          <Card size="small">
            <Statistic title={t('dashboard.open')} value={data.open} valueRender={() => <span data-testid="dashboard-open-count">{data.open}</span>} />
          </Card>
        </Col>
        <Col xs={12} md={6}>
          <Card size="small">
            <Statistic
              title={t('dashboard.overdue')}
              value={data.overdue}
              styles={{ content: { color: data.overdue > 0 ? '#cf1322' : undefined } }}
              valueRender={() => <span data-testid="dashboard-overdue-count">{data.overdue}</span>}
            />
          </Card>
        </Col>
        <Col xs={24} md={12}>
          <Card size="small" title={t('dashboard.ratesTitle')} data-testid="dashboard-rates">
            {data.rates ? (
              <Space size="large">
                <Statistic title={t('dashboard.responseRate')} value={percent(data.rates.responseRate)} />
                <Statistic title={t('dashboard.resolutionRate')} value={percent(data.rates.resolutionRate)} />
                <Statistic title={t('dashboard.satisfactionRate')} value={percent(data.rates.satisfactionRate)} />
              </Space>
            ) : (
              <Typography.Text type="secondary">{t('dashboard.ratesUnavailable')}</Typography.Text>
            )}
          </Card>
        </Col>
        <Col span={24}>
          <Card size="small" title={t('dashboard.byStatus')}>
            <Row gutter={[12, 12]} data-testid="dashboard-status-counts">
              {TICKET_STATUSES.map((s) => (
                <Col key={s} xs={12} sm={6} lg={3}>
                  <Statistic
                    title={t(`tickets.statuses.${s}`)}
                    value={data.counts[s]}
                    valueRender={() => (
                      <span data-testid={`dashboard-count-${s}`} style={{ color: data.counts[s] ? undefined : '#bfbfbf' }}>
                        {data.counts[s]}
                      </span>
                    )}
                  />
                </Col>
              ))}
            </Row>
          </Card>
        </Col>
        {data.openTickets.length < data.open && (
          <Col span={24}>
            <Alert type="info" showIcon title={t('dashboard.truncated', { shown: data.openTickets.length, total: data.open })} />
          </Col>
        )}
        <Col span={24}><HotIssuesCard /></Col>
        <Col xs={24} lg={10}>
          <Card size="small" title={t('dashboard.openByStreet')}>
            <OpenByStreetChart tickets={data.openTickets} />
          </Card>
        </Col>
        <Col xs={24} lg={14}>
          <Card size="small" title={t('dashboard.mapTitle')} extra={<Legend />}>
            <TicketMap points={points} heatmap height={320} onPick={(id) => void navigate(`/tickets/${id}`)} />
            {unlocated > 0 && (
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {t('dashboard.noPoints', { count: unlocated })}
              </Typography.Text>
            )}
          </Card>
        </Col>
      </Row>
    </div>
  );
}
