import { HeatmapChart, type HeatmapSeriesOption } from 'echarts/charts';
import { GridComponent, TooltipComponent, VisualMapComponent, type GridComponentOption, type TooltipComponentOption, type VisualMapComponentOption } from 'echarts/components';
import { init, use, type ComposeOption, type ECharts } from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';

use([HeatmapChart, GridComponent, TooltipComponent, VisualMapComponent, CanvasRenderer]);

type Option = ComposeOption<HeatmapSeriesOption | GridComponentOption | TooltipComponentOption | VisualMapComponentOption>;

/** The confusion matrix as an ECharts heatmap: rows true labels, columns predicted. */
export function ModelConfusion({ labels, confusion }: { labels: string[]; confusion: number[][] }) {
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
    const data: [number, number, number][] = [];
    let max = 1;
    confusion.forEach((row, i) => row.forEach((v, j) => {
      data.push([j, i, v]);
      max = Math.max(max, v);
    }));
    const option: Option = {
      tooltip: { formatter: (p) => {
        const v = (p as unknown as { value: [number, number, number] }).value;
        return `${t('model.trueLabel')}: ${labels[v[1]]}<br/>${t('model.predicted')}: ${labels[v[0]]}<br/>${v[2]}`;
      } },
      grid: { left: 8, right: 8, top: 8, bottom: 48, containLabel: true },
      xAxis: { type: 'category', data: labels, name: t('model.predicted'), nameLocation: 'middle', nameGap: 36, axisLabel: { rotate: 30, fontSize: 10 } },
      yAxis: { type: 'category', data: labels, name: t('model.trueLabel'), axisLabel: { fontSize: 10 }, inverse: true },
      visualMap: { min: 0, max, show: false, inRange: { color: ['#f0f5ff', '#1677ff'] } },
      series: [{ type: 'heatmap', data, label: { show: true, fontSize: 10 } }],
    };
    chart.current?.setOption(option, true);
  }, [labels, confusion, t]);
  return <div ref={ref} style={{ width: '100%', height: Math.max(280, labels.length * 26 + 80) }} data-testid="model-confusion" role="img" aria-label={t('model.confusion')} />;
}
