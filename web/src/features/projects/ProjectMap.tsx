import { useMemo } from 'react';
import { STATUS_COLOR, flatten, type ProjectItem, type PublicProgramme } from './projectsApi';

type Ring = [number, number][];

function ringsOf(geometry: { type: string; coordinates: unknown }): Ring[] {
  if (geometry.type === 'Polygon') return geometry.coordinates as Ring[];
  if (geometry.type === 'MultiPolygon') return (geometry.coordinates as Ring[][]).flat();
  return [];
}

/**
 * A dependable sketch map without a tile server: subdistrict outlines and the items' points,
 * coloured by status, in an equirectangular projection corrected for latitude. Tapping a point
 * selects the item.
 */
export function ProjectMap({ outline, items, onSelect, selected }: { outline: PublicProgramme['outline']; items: ProjectItem[]; onSelect?: (id: string) => void; selected?: string | null }) {
  const points = useMemo(
    () =>
      flatten(items).flatMap((i) =>
        i.locations.flatMap((l) => (l.geometry.type === 'Point' ? [{ item: i, lon: l.geometry.coordinates[0], lat: l.geometry.coordinates[1] }] : [])),
      ),
    [items],
  );
  const rings = useMemo(() => outline.features.flatMap((f) => ringsOf(f.geometry).map((r) => ({ name: f.properties.name, ring: r }))), [outline]);
  const all: [number, number][] = [...rings.flatMap((r) => r.ring), ...points.map((p) => [p.lon, p.lat] as [number, number])];
  if (all.length === 0) return null;
  const lons = all.map((p) => p[0]);
  const lats = all.map((p) => p[1]);
  const [minLon, maxLon, minLat, maxLat] = [Math.min(...lons), Math.max(...lons), Math.min(...lats), Math.max(...lats)];
  const k = Math.cos((((minLat + maxLat) / 2) * Math.PI) / 180);
  const W = 360;
  const spanX = Math.max(1e-6, (maxLon - minLon) * k);
  const spanY = Math.max(1e-6, maxLat - minLat);
  const H = Math.min(420, Math.max(180, (W * spanY) / spanX));
  const scale = Math.min((W - 16) / spanX, (H - 16) / spanY);
  const x = (lon: number) => 8 + (lon - minLon) * k * scale;
  const y = (lat: number) => H - 8 - (lat - minLat) * scale;
  return (
    <svg viewBox={`0 0 ${W} ${H}`} width="100%" role="img" aria-label="map" data-testid="projects-map" style={{ background: '#eef3f8', borderRadius: 8 }}>
      {rings.map((r, i) => (
        <polygon key={i} points={r.ring.map(([lo, la]) => `${x(lo).toFixed(1)},${y(la).toFixed(1)}`).join(' ')} fill="#fff" stroke="#a3b4c6" strokeWidth={0.8} />
      ))}
      {points.map((p, i) => (
        <circle
          key={i}
          cx={x(p.lon)}
          cy={y(p.lat)}
          r={selected === p.item.id ? 7 : 5}
          fill={STATUS_COLOR[p.item.status]}
          stroke="#fff"
          strokeWidth={1.5}
          style={{ cursor: onSelect ? 'pointer' : 'default' }}
          onClick={() => onSelect?.(p.item.id)}
        >
          <title>{`${p.item.code} ${p.item.title}`}</title>
        </circle>
      ))}
    </svg>
  );
}
