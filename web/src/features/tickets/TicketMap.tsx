import { useMemo } from 'react';
import { PointMap } from '../map/PointMap';

export interface TicketPoint {
  id: string;
  lon: number;
  lat: number;
  overdue: boolean;
}

interface Props {
  points: TicketPoint[];
  /** one ticket: a marker; several: circles (red when overdue) and optionally a heatmap */
  single?: boolean;
  heatmap?: boolean;
  height: number;
  onPick?: (id: string) => void;
}

const OPEN = '#1677ff';
const OVERDUE = '#f5222d';

/** Tickets on the shared point map: blue, red when overdue (overdue ones weigh double in the heatmap). */
export function TicketMap({ points, single = false, heatmap = false, height, onPick }: Props) {
  const mapped = useMemo(() => points.map((p) => ({ id: p.id, lon: p.lon, lat: p.lat, color: p.overdue ? OVERDUE : OPEN, weight: p.overdue ? 1 : 0 })), [points]);
  return <PointMap points={mapped} single={single} heatmap={heatmap} height={height} testId="ticket-map" {...(onPick ? { onPick } : {})} />;
}
