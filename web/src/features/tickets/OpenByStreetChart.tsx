import { Empty } from 'antd';
import { BarChart, type BarSeriesOption } from 'echarts/charts';
import {
  GridComponent,
  LegendComponent,
  TooltipComponent,
  type GridComponentOption,
  type LegendComponentOption,
  type TooltipComponentOption,
} from 'echarts/components';
import { init, use, type ComposeOption, type ECharts } from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useMemo, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { TicketView } from '../../shared/types';

use([BarChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

type Option = ComposeOption<BarSeriesOption | GridComponentOption | LegendComponentOption | TooltipComponentOption>;

interface Row {
  code: string;
  name: string;
  open: number;
  overdue: number;
}

/** Open tickets grouped by street (client-side), overdue stacked in red. */
export function OpenByStreetChart({ tickets }: { tickets: TicketView[] }) {
  const { t } = useTranslation();
  const ref = useRef<HTMLDivElement>(null);
  const chart = useRef<ECharts | null>(null);
  const rows = useMemo(() => {
    const by = new Map<string, Row>();
    for (const x of tickets) {
      const s = x.location.subdistrict;
      const code = s?.code ?? '';
      const row = by.get(code) ?? { code, name: s?.name ?? t('dashboard.noStreet'), open: 0, overdue: 0 };
      if (x.overdue) row.overdue++;
      else row.open++;
      by.set(code, row);
    }
    // A category axis draws its first item at the bottom: largest last means on top.
    return [...by.values()].sort((a, b) => a.open + a.overdue - (b.open + b.overdue) || b.code.localeCompare(a.code));
  }, [tickets, t]);

  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const instance = init(el, undefined, { renderer: 'canvas' });
    chart.current = instance;
    const observer = new ResizeObserver(() => instance.resize());
    observer.observe(el);
    return () => {
      observer.disconnect();
      instance.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    const option: Option = {
      grid: { left: 8, right: 16, top: 32, bottom: 8, containLabel: true },
      legend: { top: 0 },
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      xAxis: { type: 'value', minInterval: 1 },
      yAxis: { type: 'category', data: rows.map((r) => r.name), axisLabel: { fontSize: 11 } },
      series: [
        { name: t('dashboard.legendOpen'), type: 'bar', stack: 'open', data: rows.map((r) => r.open), itemStyle: { color: '#1677ff' } },
        { name: t('dashboard.legendOverdue'), type: 'bar', stack: 'open', data: rows.map((r) => r.overdue), itemStyle: { color: '#f5222d' } },
      ],
    };
    chart.current?.setOption(option, true);
  }, [rows, t]);

  return (
    <div style={{ position: 'relative' }}>
      <div ref={ref} style={{ width: '100%', height: 320 }} data-testid="dashboard-street-chart" role="img" aria-label={t('dashboard.openByStreet')} />
      {rows.length === 0 && (
        <div style={{ position: 'absolute', inset: 0, display: 'flex', alignItems: 'center', justifyContent: 'center' }}>
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} />
        </div>
      )}
    </div>
  );
}
