import { Alert, Button, Card, DatePicker, Segmented, Space, Switch, Table, Tooltip, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import dayjs, { type Dayjs } from 'dayjs';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { withQuery } from '../../api';
import { formatDateTime } from '../../shared/format';
import { currentLanguage } from '../../i18n';
import type { StatRate, TicketStatsTotals } from '../../shared/types';
import { useFetch } from '../../shared/useFetch';
import { TICKETS } from './ticketsApi';

const DIMENSIONS = ['unit', 'subdistrict', 'community', 'category', 'channel', 'type'] as const;
type Dimension = (typeof DIMENSIONS)[number];

const RATE_KEYS = ['responseRate', 'resolutionRate', 'satisfactionRate', 'onTimeRate', 'returnRate', 'reopenRate', 'callReportOnTimeRate'] as const;

interface StatsRow extends TicketStatsTotals {
  key: string | null;
  label: string;
}

interface StatsAnswer {
  from: string;
  to: string;
  rows: StatsRow[];
  totals: TicketStatsTotals;
  source: { summaryDays: { from: string; to: string } | null; summaryRefreshedAt: string | null; liveDays: { from: string; to: string } | null };
}

/** A rate with its raw counts beside it, so every figure can be checked. */
function RateCell({ r }: { r: StatRate }) {
  if (r.rate === null) return <Typography.Text type="secondary">—</Typography.Text>;
  return (
    <Tooltip title={`${r.num} / ${r.den}`}>
      <span>
        {(r.rate * 100).toFixed(1)}%{' '}
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          ({r.num}/{r.den})
        </Typography.Text>
      </span>
    </Tooltip>
  );
}

const shanghaiToday = () => dayjs(new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10));

/** 三率统计: every rate with its numerator and denominator, by unit, area, category, channel or type, for any period. */
export default function StatsPage() {
  const { t } = useTranslation();
  const lang = currentLanguage();
  const [range, setRange] = useState<[Dayjs, Dayjs]>(() => [shanghaiToday().startOf('month'), shanghaiToday()]);
  const [by, setBy] = useState<Dimension>('unit');
  const [live, setLive] = useState(false);
  // The API's period is [from, to): the picked last day is included.
  const query = useMemo(
    () => ({ from: range[0].format('YYYY-MM-DD'), to: range[1].add(1, 'day').format('YYYY-MM-DD'), by }),
    [range, by],
  );
  const { data, loading } = useFetch<StatsAnswer>(withQuery(`${TICKETS}/stats`, { ...query, live: live ? 'true' : null }));

  const columns: ColumnsType<StatsRow> = [
    { key: 'label', title: t(`stats.by.${by}`), dataIndex: 'label', fixed: 'left', width: 180 },
    { key: 'received', title: t('stats.received'), dataIndex: 'received', align: 'right' },
    { key: 'dispatched', title: t('stats.dispatched'), dataIndex: 'dispatched', align: 'right' },
    ...RATE_KEYS.map((k) => ({ key: k, title: t(`stats.rates.${k}`), align: 'right' as const, render: (_: unknown, row: StatsRow) => <RateCell r={row[k]} /> })),
    { key: 'lateCallReports', title: t('stats.lateCallReports'), dataIndex: 'lateCallReports', align: 'right' },
  ];

  return (
    <div data-testid="stats-page">
      <div className="ms-toolbar">
        <DatePicker.RangePicker
          allowClear={false}
          value={range}
          onChange={(v) => {
            if (v?.[0] && v[1]) setRange([v[0], v[1]]);
          }}
          data-testid="stats-range"
        />
        <Segmented<Dimension> value={by} onChange={setBy} options={DIMENSIONS.map((d) => ({ value: d, label: t(`stats.by.${d}`) }))} data-testid="stats-by" />
        <Space>
          <Switch checked={live} onChange={setLive} size="small" />
          <span>{t('stats.live')}</span>
        </Space>
        <span className="ms-toolbar__spacer" />
        <Button href={withQuery(`${TICKETS}/stats.xlsx`, query)} data-testid="stats-export">
          {t('stats.export')}
        </Button>
      </div>
      {data && (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 12 }}
          title={
            data.source.summaryRefreshedAt
              ? t('stats.sourceSummary', { at: formatDateTime(data.source.summaryRefreshedAt, lang) })
              : t('stats.sourceLive')
          }
        />
      )}
      <Card size="small">
        <Table<StatsRow>
          size="small"
          rowKey={(r) => r.key ?? '-'}
          loading={loading}
          columns={columns}
          dataSource={data?.rows ?? []}
          pagination={false}
          scroll={{ x: 1200 }}
          data-testid="stats-table"
          summary={() =>
            data ? (
              <Table.Summary.Row>
                <Table.Summary.Cell index={0}>
                  <strong>{t('stats.total')}</strong>
                </Table.Summary.Cell>
                <Table.Summary.Cell index={1} align="right">
                  {data.totals.received}
                </Table.Summary.Cell>
                <Table.Summary.Cell index={2} align="right">
                  {data.totals.dispatched}
                </Table.Summary.Cell>
                {RATE_KEYS.map((k, i) => (
                  <Table.Summary.Cell key={k} index={3 + i} align="right">
                    <RateCell r={data.totals[k]} />
                  </Table.Summary.Cell>
                ))}
                <Table.Summary.Cell index={3 + RATE_KEYS.length} align="right">
                  {data.totals.lateCallReports}
                </Table.Summary.Cell>
              </Table.Summary.Row>
            ) : null
          }
        />
      </Card>
    </div>
  );
}
