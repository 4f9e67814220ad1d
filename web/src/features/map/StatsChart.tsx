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
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { StreetStats } from '../../shared/types';

use([BarChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

type Option = ComposeOption<BarSeriesOption | GridComponentOption | LegendComponentOption | TooltipComponentOption>;

/** Horizontal bars: communities and grid cells per street. */
export function StatsChart({ items }: { items: StreetStats[] }) {
  const { t } = useTranslation();
  const ref = useRef<HTMLDivElement>(null);
  const chart = useRef<ECharts | null>(null);

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
    // Top-to-bottom in code order: a category axis draws its first item at the bottom.
    const rows = [...items].sort((a, b) => b.code.localeCompare(a.code));
    const option: Option = {
      grid: { left: 8, right: 16, top: 32, bottom: 8, containLabel: true },
      legend: { top: 0 },
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      xAxis: { type: 'value', minInterval: 1 },
      yAxis: { type: 'category', data: rows.map((r) => r.name), axisLabel: { fontSize: 11 } },
      series: [
        { name: t('map.communities'), type: 'bar', data: rows.map((r) => r.communities), itemStyle: { color: '#52c41a' } },
        { name: t('map.gridCells'), type: 'bar', data: rows.map((r) => r.gridCells), itemStyle: { color: '#fa8c16' } },
      ],
    };
    chart.current?.setOption(option, true);
  }, [items, t]);

  return <div ref={ref} className="ms-chart" data-testid="street-chart" role="img" aria-label={t('map.chartTitle')} />;
}
