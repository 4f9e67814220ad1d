import { Card, Col, Empty, Row, Segmented, Space, Spin, Table, Tag, Typography } from 'antd';
import { ScatterChart, type ScatterSeriesOption } from 'echarts/charts';
import { GridComponent, TooltipComponent, type GridComponentOption, type TooltipComponentOption } from 'echarts/components';
import { init, use, type ComposeOption, type ECharts } from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router-dom';
import { currentLanguage } from '../../i18n';
import { formatDateTime } from '../../shared/format';
import { useFetch } from '../../shared/useFetch';
import { TicketMap, type TicketPoint } from '../tickets/TicketMap';
import { hotColor, type HotIssueItem, type HotIssues } from './HotIssuesCard';

use([ScatterChart, GridComponent, TooltipComponent, CanvasRenderer]);
type Option = ComposeOption<ScatterSeriesOption | GridComponentOption | TooltipComponentOption>;

/** Each issue a row, each of its tickets a dot at its time: when the issue started, grew and went quiet. */
function HotTimeline({ items }: { items: HotIssueItem[] }) {
  const ref = useRef<HTMLDivElement>(null);
  const chart = useRef<ECharts | null>(null);
  const lang = currentLanguage();
  const rows = useMemo(() => [...items].slice(0, 12).reverse(), [items]);
  useEffect(() => {
    if (!ref.current) return;
    chart.current ??= init(ref.current);
    const option: Option = {
      grid: { left: 8, right: 16, top: 8, bottom: 24, containLabel: true },
      tooltip: { trigger: 'item', formatter: (p: unknown) => String((p as { data: { name: string } }).data.name) },
      xAxis: { type: 'time', axisLabel: { hideOverlap: true, fontSize: 11 } },
      yAxis: { type: 'category', data: rows.map((h) => `#${h.rank} ${h.label.slice(0, 18)}`), axisLabel: { fontSize: 11 } },
      series: [
        {
          type: 'scatter',
          symbolSize: 9,
          data: rows.flatMap((h, y) =>
            h.tickets.map((tk) => ({ value: [tk.createdAt, y], name: `${tk.number} ${tk.title}<br/>${formatDateTime(tk.createdAt, lang)}`, itemStyle: { color: h.hotIndex >= 40 ? '#cf1322' : '#fa8c16' } })),
          ),
        },
      ],
    };
    chart.current.setOption(option, true);
    const resize = () => chart.current?.resize();
    window.addEventListener('resize', resize);
    return () => window.removeEventListener('resize', resize);
  }, [rows, lang]);
  useEffect(() => () => chart.current?.dispose(), []);
  return <div ref={ref} style={{ height: Math.max(220, rows.length * 28 + 40) }} data-testid="hot-timeline" />;
}

/** /analysis/hot — 热点问题: ranked issues, their tickets, a map and a timeline. */
export default function HotIssuesPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const lang = currentLanguage();
  const [days, setDays] = useState(30);
  const { data, loading } = useFetch<HotIssues>(`/api/v1/analysis/hot-issues?days=${days}&top=30`);
  const items = data?.items ?? [];
  const points = useMemo<TicketPoint[]>(
    () => items.slice(0, 10).flatMap((h) => h.tickets.flatMap((tk) => (tk.lon !== null && tk.lat !== null ? [{ id: tk.id, lon: tk.lon, lat: tk.lat, overdue: h.hotIndex >= 40 }] : []))),
    [items],
  );
  return (
    <div data-testid="hot-issues-page">
      <div className="ms-toolbar">
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('insights.hot.title')}
        </Typography.Title>
        <Segmented
          value={days}
          onChange={(v) => setDays(Number(v))}
          options={[7, 30, 90].map((n) => ({ value: n, label: t('insights.hot.lastDays', { n }) }))}
          data-testid="hot-days"
        />
        <span className="ms-toolbar__spacer" />
        {loading && <Spin size="small" />}
        {data && <Typography.Text type="secondary">{t('insights.hot.considered', { n: data.ticketsConsidered })}</Typography.Text>}
      </div>
      <Row gutter={[12, 12]}>
        <Col xs={24} xl={14}>
          <Card size="small">
            <Table<HotIssueItem>
              size="small"
              rowKey="rank"
              dataSource={items}
              pagination={false}
              locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('insights.hot.none')} /> }}
              expandable={{
                expandedRowRender: (h) => (
                  <Space orientation="vertical" size={2}>
                    <Typography.Text type="secondary">{h.description}</Typography.Text>
                    {h.tickets.map((tk) => (
                      <Link key={tk.id} to={`/tickets/${tk.id}`}>
                        {tk.number} · {tk.title} · {formatDateTime(tk.createdAt, lang)}
                      </Link>
                    ))}
                  </Space>
                ),
              }}
              columns={[
                { title: t('insights.hot.rank'), dataIndex: 'rank', width: 56 },
                { title: t('insights.hot.hotIndex'), dataIndex: 'hotIndex', width: 80, render: (x: number) => <Tag color={hotColor(x)}>{x.toFixed(1)}</Tag> },
                {
                  title: t('insights.hot.label'),
                  key: 'label',
                  render: (_: unknown, h) => (
                    <Space orientation="vertical" size={0}>
                      <Typography.Text strong data-testid="hot-issue-label">
                        {h.label}
                      </Typography.Text>
                      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                        {h.title}
                      </Typography.Text>
                    </Space>
                  ),
                },
                { title: t('insights.hot.tickets'), key: 'counts', width: 130, render: (_: unknown, h) => <span>{t('insights.hot.counts', { messages: h.messages, requesters: h.requesters })}{h.repeatComplaint && <Tag color="magenta" style={{ marginInlineStart: 4 }}>{t('insights.hot.repeat')}</Tag>}</span> },
                { title: t('insights.hot.timeRange'), key: 'time', width: 150, render: (_: unknown, h) => `${formatDateTime(h.timeRange.from, lang).slice(0, 10)} ~ ${formatDateTime(h.timeRange.to, lang).slice(0, 10)}` },
              ]}
            />
            <Typography.Paragraph type="secondary" style={{ fontSize: 12, marginTop: 8, marginBottom: 0 }}>
              {t('insights.hot.formula')}
            </Typography.Paragraph>
          </Card>
        </Col>
        <Col xs={24} xl={10}>
          <Space orientation="vertical" size={12} style={{ width: '100%' }}>
            <Card size="small" title={t('insights.hot.map')}>
              <TicketMap points={points} height={300} onPick={(id) => void navigate(`/tickets/${id}`)} />
            </Card>
            <Card size="small" title={t('insights.hot.timeline')}>
              {items.length ? <HotTimeline items={items} /> : <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} />}
            </Card>
          </Space>
        </Col>
      </Row>
    </div>
  );
}
