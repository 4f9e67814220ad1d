/**
 * DEMO data for the demo district — generated, deterministic (the caller passes a seeded random
 * source), labelled demo by the caller (is_demo). Buildings with residents inside the demo grid
 * cells, and facilities of every default type placed near them. No real place, person or
 * facility: names read "演示…", counts are drawn from plausible ranges.
 *
 * The west of the district is built up more densely than the east (as in 市南区, whose old town
 * lies west), and the demo EV chargers cluster there, so the 0.9 km question has a realistic
 * partial answer: most of the west is covered, gaps remain in the east.
 */
import { bboxOfPolygonal, planeAround, pointInPolygonal, type Polygonal } from './plane';

export type Rng = () => number;

export interface DemoCell {
  code: string;
  communityCode: string;
  subdistrictCode: string;
  path: string;
  geometry: Polygonal;
}

export interface DemoBuilding {
  label: string;
  lon: number;
  lat: number;
  cell: DemoCell;
  households: number;
  people: number;
  aged60: number;
  aged70: number;
  children: number;
  disabled: number;
}

const between = (rng: Rng, lo: number, hi: number) => lo + (hi - lo) * rng();
const round6 = (v: number) => Math.round(v * 1e6) / 1e6;

/** A uniformly random point inside the cell (rejection sampling in its bounding box). */
function pointIn(rng: Rng, g: Polygonal): [number, number] | null {
  const [minX, minY, maxX, maxY] = bboxOfPolygonal(g);
  for (let tries = 0; tries < 200; tries++) {
    const lon = round6(between(rng, minX, maxX));
    const lat = round6(between(rng, minY, maxY));
    if (pointInPolygonal(lon, lat, g)) return [lon, lat];
  }
  return null;
}

export function demoBuildings(rng: Rng, cells: readonly DemoCell[]): DemoBuilding[] {
  if (cells.length === 0) return [];
  const [w, , e] = cells.map((c) => bboxOfPolygonal(c.geometry)).reduce((a, b) => [Math.min(a[0], b[0]), 0, Math.max(a[2], b[2]), 0]);
  const out: DemoBuilding[] = [];
  for (const cell of cells) {
    const [minX, , maxX] = bboxOfPolygonal(cell.geometry);
    const westness = 1 - ((minX + maxX) / 2 - w) / Math.max(1e-9, e - w); // 1 in the west, 0 in the east
    const buildings = Math.round(between(rng, 4, 8) + 7 * westness);
    for (let b = 0; b < buildings; b++) {
      const at = pointIn(rng, cell.geometry);
      if (!at) continue;
      const households = Math.round(between(rng, 18, 70 + 60 * westness));
      const people = Math.round(households * between(rng, 2.1, 2.8));
      const aged60 = Math.round(people * between(rng, 0.18, 0.34));
      const aged70 = Math.round(aged60 * between(rng, 0.4, 0.6));
      const children = Math.round(people * between(rng, 0.07, 0.15));
      const disabled = Math.round(people * between(rng, 0.01, 0.035));
      out.push({ label: `演示楼栋 ${cell.code}-${String(b + 1).padStart(2, '0')}`, lon: at[0], lat: at[1], cell, households, people, aged60, aged70, children, disabled });
    }
  }
  return out;
}

export interface DemoFacilityPlan {
  type: string;
  count: number;
  name: string;
  capacity: [number, number];
  openingHours: string;
  ownerUnit: string;
  /** minimum spacing between two sites of the type, metres */
  spacingM: number;
  /** how strongly sites favour the west (0 = not at all) */
  westBias: number;
}

export const DEMO_FACILITY_PLANS: readonly DemoFacilityPlan[] = [
  { type: 'elderly_service_centre', count: 11, name: '演示·街道养老服务中心', capacity: [20, 60], openingHours: '08:00-18:00', ownerUnit: '区民政局（演示）', spacingM: 1500, westBias: 0 },
  { type: 'home_care_station', count: 40, name: '演示·居家养老服务站', capacity: [10, 40], openingHours: '08:30-17:30', ownerUnit: '社区居委会（演示）', spacingM: 450, westBias: 0.5 },
  { type: 'meal_point', count: 36, name: '演示·长者助餐点', capacity: [30, 120], openingHours: '10:30-13:00,16:30-18:30', ownerUnit: '区民政局（演示）', spacingM: 500, westBias: 0.6 },
  { type: 'community_health_centre', count: 14, name: '演示·社区卫生服务站', capacity: [0, 20], openingHours: '08:00-20:00', ownerUnit: '区卫生健康局（演示）', spacingM: 1200, westBias: 0.3 },
  { type: 'family_doctor_team', count: 30, name: '演示·家庭医生团队', capacity: [1500, 3000], openingHours: '08:00-17:00', ownerUnit: '社区卫生服务中心（演示）', spacingM: 600, westBias: 0.3 },
  { type: 'ev_charger', count: 22, name: '演示·公共充电站', capacity: [4, 24], openingHours: '00:00-24:00', ownerUnit: '国网青岛供电公司（演示）', spacingM: 900, westBias: 1.6 },
  { type: 'emergency_station', count: 3, name: '演示·社区应急救援站', capacity: [8, 20], openingHours: '00:00-24:00', ownerUnit: '区应急管理局（演示）', spacingM: 3500, westBias: 0 },
  { type: 'public_toilet', count: 120, name: '演示·公共厕所', capacity: [4, 16], openingHours: '06:00-22:00', ownerUnit: '区城市管理局（演示）', spacingM: 250, westBias: 0.4 },
  { type: 'gov_self_service', count: 50, name: '演示·政务服务自助终端', capacity: [1, 3], openingHours: '00:00-24:00', ownerUnit: '区行政审批服务局（演示）', spacingM: 350, westBias: 0.3 },
  { type: 'school', count: 28, name: '演示·学校', capacity: [300, 1800], openingHours: '07:30-17:30', ownerUnit: '区教育和体育局（演示）', spacingM: 700, westBias: 0.3 },
  { type: 'parking_lot', count: 45, name: '演示·公共停车场', capacity: [30, 300], openingHours: '00:00-24:00', ownerUnit: '区城市管理局（演示）', spacingM: 350, westBias: 0.5 },
  { type: 'fitness_equipment', count: 90, name: '演示·全民健身点', capacity: [6, 20], openingHours: '06:00-21:00', ownerUnit: '区教育和体育局（演示）', spacingM: 250, westBias: 0.2 },
];

export interface DemoFacility {
  type: string;
  name: string;
  lon: number;
  lat: number;
  cell: DemoCell;
  capacity: number;
  openingHours: string;
  ownerUnit: string;
  externalId: string;
}

/**
 * Sites near buildings: drawn with probability ∝ people × (west bias), a little off the
 * building, at least `spacingM` apart within a type (relaxed if the district runs out of room).
 */
export function demoFacilities(rng: Rng, buildings: readonly DemoBuilding[], plans = DEMO_FACILITY_PLANS): DemoFacility[] {
  if (buildings.length === 0) return [];
  const lon0 = buildings.reduce((s, b) => s + b.lon, 0) / buildings.length;
  const lat0 = buildings.reduce((s, b) => s + b.lat, 0) / buildings.length;
  const plane = planeAround(lon0, lat0);
  const xs = buildings.map((b) => plane.toX(b.lon));
  const ys = buildings.map((b) => plane.toY(b.lat));
  const minX = Math.min(...xs), maxX = Math.max(...xs);
  const out: DemoFacility[] = [];
  for (const plan of plans) {
    const weights = buildings.map((b, i) => b.people * Math.pow(1 - (xs[i]! - minX) / Math.max(1, maxX - minX) + 0.15, plan.westBias));
    const cum = new Float64Array(weights.length);
    weights.forEach((w, i) => (cum[i] = (i > 0 ? cum[i - 1]! : 0) + w));
    const totalW = cum[cum.length - 1]!;
    const chosen: number[] = [];
    let spacing = plan.spacingM;
    for (let attempt = 0; chosen.length < plan.count && attempt < plan.count * 200; attempt++) {
      if (attempt > 0 && attempt % (plan.count * 40) === 0) spacing *= 0.8;
      const r = rng() * totalW;
      let lo = 0, hi = cum.length - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (cum[mid]! > r) hi = mid;
        else lo = mid + 1;
      }
      const i = lo;
      if (chosen.some((j) => Math.hypot(xs[j]! - xs[i]!, ys[j]! - ys[i]!) < spacing)) continue;
      chosen.push(i);
    }
    chosen.forEach((i, k) => {
      const b = buildings[i]!;
      const ang = rng() * 2 * Math.PI;
      const off = between(rng, 10, 40);
      const lon = round6(plane.toLon(xs[i]! + off * Math.cos(ang)));
      const lat = round6(plane.toLat(ys[i]! + off * Math.sin(ang)));
      const inside = pointInPolygonal(lon, lat, b.cell.geometry);
      out.push({
        type: plan.type,
        name: `${plan.name} ${String(k + 1).padStart(2, '0')}`,
        lon: inside ? lon : b.lon,
        lat: inside ? lat : b.lat,
        cell: b.cell,
        capacity: Math.round(between(rng, plan.capacity[0], plan.capacity[1])),
        openingHours: plan.openingHours,
        ownerUnit: plan.ownerUnit,
        externalId: `demo-${plan.type}-${String(k + 1).padStart(3, '0')}`,
      });
    });
  }
  return out;
}
