import { Button, Card, DatePicker, Select, Space, Table, Typography } from 'antd';
import { BarChart, PieChart, type BarSeriesOption, type PieSeriesOption } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent, type GridComponentOption, type LegendComponentOption, type TooltipComponentOption } from 'echarts/components';
import { init, use, type ComposeOption } from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import dayjs from 'dayjs';
import { useEffect, useMemo, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router-dom';
import { currentLanguage } from '../../i18n';
import { useFetch } from '../../shared/useFetch';
import { StatusTag } from './ItemBits';
import { STATUSES, STATUS_COLOR, todayShanghai, type Summary } from './projectsApi';
import './projects.css';

use([BarChart, PieChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);
type Option = ComposeOption<BarSeriesOption | PieSeriesOption | GridComponentOption | LegendComponentOption | TooltipComponentOption>;

function Chart({ option, height, testId }: { option: Option; height: number; testId: string }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const chart = init(el, undefined, { renderer: 'canvas' });
    chart.setOption(option);
    const ro = new ResizeObserver(() => chart.resize());
    ro.observe(el);
    return () => {
      ro.disconnect();
      chart.dispose();
    };
  }, [option]);
  return <div ref={ref} style={{ height, width: '100%' }} data-testid={testId} />;
}

/** 民生实事进度汇总 for leaders: the seed's sentence at any date, charts, overdue milestones, downloads. */
export default function SummaryPage() {
  const { t } = useTranslation();
  const lang = currentLanguage();
  const [params, setParams] = useSearchParams();
  const year = Number(params.get('year')) || Number(todayShanghai().slice(0, 4));
  const date = params.get('date') ?? undefined;
  const q = `year=${year}${date ? `&date=${date}` : ''}`;
  const { data } = useFetch<Summary>(`/api/v1/projects/summary?${q}`);
  const names = STATUSES.map((s) => t(`projects.statuses.${s}`));

  const bars = useMemo<Option | null>(() => !data ? null : {
    grid: { left: 8, right: 16, top: 32, bottom: 8, containLabel: true },
    legend: { top: 0 },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    xAxis: { type: 'value', minInterval: 1 },
    yAxis: { type: 'category', data: [...data.categories].reverse().map((c) => `${c.name} ${c.progress.toFixed(0)}%`) },
    series: STATUSES.map((s, k) => ({ name: names[k], type: 'bar', stack: 'n', itemStyle: { color: STATUS_COLOR[s] }, data: [...data.categories].reverse().map((c) => c.byStatus[s]) })),
  }, [data, names.join()]);
  const pie = useMemo<Option | null>(() => !data ? null : {
    tooltip: { trigger: 'item' },
    series: [{ type: 'pie', radius: ['45%', '75%'], label: { formatter: '{b} {c}' }, data: STATUSES.map((s, k) => ({ name: names[k]!, value: data.counts.byStatus[s], itemStyle: { color: STATUS_COLOR[s] } })) }],
  }, [data, names.join()]);

  return (
    <div data-testid="projects-summary">
      <Space wrap style={{ marginBottom: 12 }}>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('projects.summaryTitle')}
        </Typography.Title>
        <Select value={year} style={{ width: 96 }} options={[year - 1, year, year + 1].map((y) => ({ value: y, label: String(y) }))} onChange={(y) => setParams({ year: String(y) })} />
        <DatePicker value={date ? dayjs(date) : null} placeholder={t('projects.asOf')} onChange={(d) => setParams({ year: String(year), ...(d ? { date: d.format('YYYY-MM-DD') } : {}) })} />
        <Button href={`/api/v1/projects/summary.xlsx?${q}`}>{t('projects.exportXlsx')}</Button>
        <Button href={`/api/v1/projects/summary.pdf?${q}`}>{t('projects.exportPdf')}</Button>
      </Space>
      {data && (
        <>
          <Card size="small" style={{ marginBottom: 12 }}>
            <div className="ms-proj__headline" data-testid="summary-headline">
              {lang === 'en' ? data.headline.en : data.headline.zh}
            </div>
            <Typography.Text type="secondary">
              {data.title} · {t('projects.asOf')} {data.date} · {t('projects.overall')} {data.progress.toFixed(1)}%
            </Typography.Text>
            <div className="ms-proj__tiles" style={{ marginTop: 8 }}>
              {STATUSES.map((s) => (
                <div key={s} className="ms-proj__tile" style={{ background: STATUS_COLOR[s] }} data-testid={`summary-${s}`}>
                  <b>{data.counts.byStatus[s]}</b>
                  <span>{t(`projects.statuses.${s}`)}</span>
                </div>
              ))}
            </div>
          </Card>
          <div style={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fit, minmax(320px, 1fr))', gap: 12 }}>
            <Card size="small" title={t('projects.byCategory')}>
              {bars && <Chart option={bars} height={280} testId="summary-bars" />}
            </Card>
            <Card size="small" title={t('projects.status')}>
              {pie && <Chart option={pie} height={280} testId="summary-pie" />}
            </Card>
          </div>
          <Card size="small" title={`${t('projects.overdueMilestones')}（${data.overdueMilestones.length}）`} style={{ marginTop: 12 }}>
            <Table
              size="small"
              rowKey={(r) => `${r.itemId}-${r.milestone}`}
              pagination={false}
              dataSource={data.overdueMilestones}
              locale={{ emptyText: t('projects.none') }}
              columns={[
                { title: t('projects.items'), render: (_, r) => <Link to={`/programme/items/${r.itemId}`}>{`${r.itemCode} ${r.itemTitle}`}</Link> },
                { title: t('projects.milestones'), dataIndex: 'milestone' },
                { title: t('projects.plannedEnd'), dataIndex: 'plannedOn' },
                { title: '', render: (_, r) => t('projects.overdueDays', { days: r.overdueDays }) },
                { title: t('projects.owner'), render: (_, r) => r.owner.name },
              ]}
            />
          </Card>
          <Card size="small" title={t('projects.items')} style={{ marginTop: 12 }}>
            <Table
              size="small"
              rowKey="id"
              pagination={false}
              dataSource={data.items}
              columns={[
                { title: t('projects.code'), dataIndex: 'code', width: 70 },
                { title: t('projects.title'), render: (_, r) => <Link to={`/programme/items/${r.id}`}>{r.title}</Link> },
                { title: t('projects.owner'), render: (_, r) => r.owner.name },
                { title: t('projects.progress'), render: (_, r) => `${r.progress.toFixed(1)}% / ${r.expected.toFixed(0)}%` },
                { title: t('projects.status'), render: (_, r) => <StatusTag status={r.status} /> },
              ]}
            />
          </Card>
        </>
      )}
    </div>
  );
}
