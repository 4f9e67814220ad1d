/**
 * Facility types and their coverage standards, as data. The defaults come from the seed
 * documents and GB 50180-2018 (城市居住区规划设计标准); a district edits its own rows.
 *
 * A standard is one of
 * - `radius`: straight-line distance ≤ radiusM (公用充电服务半径 0.9 公里);
 * - `time`: travel time ≤ minutes at speedKmh, on straight lines lengthened by a detour factor
 *   (5分钟应急救援圈): reach = minutes · speed / detour;
 * - `network`: distance along an imported road or footpath network ≤ radiusM, or ≤ minutes at
 *   speedKmh (no detour factor: the network is the detour).
 */
export const POPULATION_GROUPS = ['all', 'aged60', 'aged70', 'children', 'disabled'] as const;
export type PopulationGroup = (typeof POPULATION_GROUPS)[number];

export const GROUP_NAMES: Record<PopulationGroup, { zh: string; en: string }> = {
  all: { zh: '全体常住人口', en: 'everyone' },
  aged60: { zh: '60岁及以上老年人', en: 'aged 60+' },
  aged70: { zh: '70岁及以上老年人', en: 'aged 70+' },
  children: { zh: '儿童（0–14岁）', en: 'children (0–14)' },
  disabled: { zh: '残疾人', en: 'people with disabilities' },
};

export const STANDARD_MODES = ['radius', 'time', 'network'] as const;
export type StandardMode = (typeof STANDARD_MODES)[number];

export interface Standard {
  mode: StandardMode;
  radiusM?: number | null | undefined;
  minutes?: number | null | undefined;
  speedKmh?: number | null | undefined;
  detourFactor?: number | null | undefined;
}

/**
 * The straight-line reach (radius and time modes) or the network distance limit (network
 * mode), metres. Throws on an incomplete standard (the contract validates first).
 */
export function reachMetres(s: Standard): number {
  if (s.mode === 'radius') {
    if (!s.radiusM || s.radiusM <= 0) throw new Error('radius standard without radiusM');
    return s.radiusM;
  }
  const travelled = s.minutes && s.speedKmh ? (s.minutes * s.speedKmh * 1000) / 60 : null;
  if (s.mode === 'time') {
    if (!travelled) throw new Error('time standard without minutes and speed');
    return travelled / Math.max(1, s.detourFactor ?? 1.3);
  }
  const limit = s.radiusM ?? travelled;
  if (!limit || limit <= 0) throw new Error('network standard without a distance or a time');
  return limit;
}

export function describeStandard(s: Standard): { zh: string; en: string } {
  const r = Math.round(reachMetres(s));
  if (s.mode === 'radius') return { zh: `服务半径 ${s.radiusM} 米（直线）`, en: `${s.radiusM} m straight-line radius` };
  if (s.mode === 'time') {
    return {
      zh: `${s.minutes} 分钟（${s.speedKmh} km/h，绕行系数 ${s.detourFactor ?? 1.3}，折合直线 ${r} 米）`,
      en: `${s.minutes} min at ${s.speedKmh} km/h, detour ×${s.detourFactor ?? 1.3} (≈ ${r} m straight)`,
    };
  }
  return s.radiusM
    ? { zh: `路网距离 ${s.radiusM} 米`, en: `${s.radiusM} m along the network` }
    : { zh: `路网 ${s.minutes} 分钟（${s.speedKmh} km/h，折合 ${r} 米）`, en: `${s.minutes} min along the network at ${s.speedKmh} km/h (${r} m)` };
}

export interface FacilityTypeDef {
  code: string;
  name: string;
  nameEn: string;
  capacityUnit: string;
  capacityUnitEn: string;
  standard: Standard;
  populationGroup: PopulationGroup;
  /** 每平方公里座数 target, where the seeds set one */
  perKm2Target: number | null;
  /** where the default comes from */
  basis: string;
}

const walk = 4.8; // km/h, 80 m a minute (GB 50180 walking circles)

export const DEFAULT_FACILITY_TYPES: readonly FacilityTypeDef[] = [
  { code: 'elderly_service_centre', name: '街道级居家社区养老服务中心', nameEn: 'Elderly service centre (street level)', capacityUnit: '张床位', capacityUnitEn: 'beds', standard: { mode: 'time', minutes: 15, speedKmh: walk, detourFactor: 1.3 }, populationGroup: 'aged60', perKm2Target: null, basis: '15分钟生活圈（GB 50180-2018）；市南区11处街道级养老中心' },
  { code: 'home_care_station', name: '居家养老服务站', nameEn: 'Home-care station', capacityUnit: '个服务名额', capacityUnitEn: 'places', standard: { mode: 'time', minutes: 10, speedKmh: walk, detourFactor: 1.3 }, populationGroup: 'aged60', perKm2Target: null, basis: '10分钟生活圈（GB 50180-2018）' },
  { code: 'meal_point', name: '为老助餐点', nameEn: 'Elderly meal point', capacityUnit: '个餐位', capacityUnitEn: 'seats', standard: { mode: 'radius', radiusM: 500 }, populationGroup: 'aged60', perKm2Target: null, basis: '长者乐享助餐；5–10分钟步行可达' },
  { code: 'community_health_centre', name: '社区卫生服务中心（站）', nameEn: 'Community health centre', capacityUnit: '张床位', capacityUnitEn: 'beds', standard: { mode: 'time', minutes: 15, speedKmh: walk, detourFactor: 1.3 }, populationGroup: 'all', perKm2Target: null, basis: '15分钟生活圈（GB 50180-2018）' },
  { code: 'family_doctor_team', name: '家庭医生团队', nameEn: 'Family-doctor team', capacityUnit: '人签约容量', capacityUnitEn: 'patients', standard: { mode: 'radius', radiusM: 1000 }, populationGroup: 'all', perKm2Target: null, basis: '家庭医生签约服务街道、社区全覆盖' },
  { code: 'ev_charger', name: '公共充电设施', nameEn: 'Public EV charging site', capacityUnit: '个充电桩', capacityUnitEn: 'chargers', standard: { mode: 'radius', radiusM: 900 }, populationGroup: 'all', perKm2Target: null, basis: '公用充电服务半径0.9公里全覆盖（市南区充电基础设施发展规划）' },
  { code: 'emergency_station', name: '社区应急救援站', nameEn: 'Emergency rescue station', capacityUnit: '名救援人员', capacityUnitEn: 'responders', standard: { mode: 'time', minutes: 5, speedKmh: 30, detourFactor: 1.4 }, populationGroup: 'all', perKm2Target: null, basis: '5分钟应急救援圈（东、中、西部社区应急救援中心）' },
  { code: 'public_toilet', name: '公共厕所', nameEn: 'Public toilet', capacityUnit: '个厕位', capacityUnitEn: 'stalls', standard: { mode: 'radius', radiusM: 500 }, populationGroup: 'all', perKm2Target: 5, basis: '新建和改造公厕50座，达到每平方公里近5座' },
  { code: 'gov_self_service', name: '政务服务自助终端', nameEn: 'Government self-service machine', capacityUnit: '台', capacityUnitEn: 'machines', standard: { mode: 'time', minutes: 5, speedKmh: walk, detourFactor: 1.3 }, populationGroup: 'all', perKm2Target: null, basis: '5分钟政务服务圈' },
  { code: 'school', name: '中小学', nameEn: 'School', capacityUnit: '个学位', capacityUnitEn: 'places', standard: { mode: 'radius', radiusM: 1000 }, populationGroup: 'children', perKm2Target: null, basis: '小学服务半径约500–1000米（GB 50180-2018 10分钟生活圈）' },
  { code: 'parking_lot', name: '公共停车场', nameEn: 'Public parking lot', capacityUnit: '个车位', capacityUnitEn: 'spaces', standard: { mode: 'radius', radiusM: 500 }, populationGroup: 'all', perKm2Target: null, basis: '步行5分钟可达' },
  { code: 'fitness_equipment', name: '全民健身器材', nameEn: 'Public fitness equipment', capacityUnit: '件', capacityUnitEn: 'pieces', standard: { mode: 'time', minutes: 5, speedKmh: walk, detourFactor: 1.3 }, populationGroup: 'all', perKm2Target: null, basis: '5分钟生活圈（GB 50180-2018）' },
];
