/**
 * The demo registry generator: deterministic (seeded), labelled demo, names obviously generated
 * (每个姓名带“演示”), ID numbers valid by GB 11643 but starting with 99 (no such province), phone
 * numbers starting with 100 (no such mobile prefix). Households are placed in buildings inside the
 * given grid cells. Pure: used by the CLI (`residents generate`), the small demo seed and the
 * benefits bench (1M persons / 400k households in memory).
 *
 * The mix is made so every demo policy has people in each category: elderly receiving and not,
 * 低保 households receiving and not, receipts of people who died or moved (the stop list),
 * income changes and ended statuses (for past-date reconstruction).
 */
import type { HukouType, MaritalStatus, Sex, SpecialStatus } from '../facts';
import { addDays, addYears, dayNumber, fromDayNumber } from './dates';
import { makeIdNumber } from './id-number';
import {
  DISABILITY_TYPES,
  emptyRegistry,
  type BuildingRec,
  type DisabilityType,
  type HouseholdRec,
  type PersonRec,
  type Registry,
  type Relationship,
} from './registry';

/** Benefit codes the demo receipts use (the benefits module's demo policies pay these). */
export const DEMO_BENEFIT_CODES = {
  elderly: 'elderly_allowance', // 高龄补贴
  dibao: 'dibao', // 低保金
  disabilityLiving: 'disability_living', // 困难残疾人生活补贴
  disabilityCare: 'disability_care', // 重度残疾人护理补贴
  prepregnancy: 'prepregnancy_check', // 免费孕前优生检查
  hpv: 'hpv_vaccine', // HPV 疫苗
  gasValve: 'smart_gas_valve', // 智能燃气阀
} as const;

export interface GeneratorCell {
  code: string;
  path: string;
  /** The cell boundary in WGS-84; without one, buildings sit around `fallbackCenter`. */
  geometry?: { type: 'Polygon'; coordinates: number[][][] } | { type: 'MultiPolygon'; coordinates: number[][][][] } | null;
}

export interface GenerateOptions {
  seed: string;
  persons: number;
  cells: readonly GeneratorCell[];
  /** The "today" of the generated history (statuses, receipts, moves are dated around it). */
  referenceDate: string;
  fallbackCenter?: [number, number];
  /** Called every 10 000 persons. */
  onProgress?: (done: number) => void;
}

type Rng = () => number;

function sfc32(seed: string): Rng {
  let h1 = 1779033703, h2 = 3144134277, h3 = 1013904242, h4 = 2773480762;
  for (let i = 0; i < seed.length; i++) {
    const k = seed.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
  }
  let a = h1 >>> 0, b = h2 >>> 0, c = h3 >>> 0, d = h4 >>> 0;
  const next = (): number => {
    a >>>= 0; b >>>= 0; c >>>= 0; d >>>= 0;
    let t = (a + b) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    d = (d + 1) | 0;
    t = (t + d) | 0;
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
  for (let i = 0; i < 12; i++) next();
  return next;
}

const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤';
const GIVEN_M = '伟强磊军洋勇杰涛明超刚平鹏飞建国海东文斌志宏亮波俊峰晖浩然轩远';
const GIVEN_F = '芳娜敏静丽艳娟秀霞桂英华玉兰萍红燕晓婷雪梅宁琳春颖佳欣悦涵思';

function uuidFrom(rng: Rng): string {
  const h = (n: number) => Math.floor(rng() * 2 ** 32).toString(16).padStart(8, '0').slice(0, n);
  const a = h(8), b = h(4), c = h(3), d = ((8 + Math.floor(rng() * 4)).toString(16)) + h(3), e = h(8) + h(4);
  return `${a}-${b}-4${c}-${d}-${e}`;
}

function pointIn(rings: number[][][], x: number, y: number): boolean {
  let inside = false;
  for (const ring of rings) {
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      const xi = ring[i]![0]!, yi = ring[i]![1]!, xj = ring[j]![0]!, yj = ring[j]![1]!;
      if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
    }
  }
  return inside;
}

/** A random point inside the cell (rejection sampling in its bounding box). */
function pointInCell(rng: Rng, cell: GeneratorCell, fallback: [number, number]): [number, number] {
  const g = cell.geometry;
  if (!g) return [fallback[0] + (rng() - 0.5) * 0.02, fallback[1] + (rng() - 0.5) * 0.02];
  const polygons = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  for (const poly of polygons) for (const [x, y] of poly[0]!) {
    minX = Math.min(minX, x!); maxX = Math.max(maxX, x!); minY = Math.min(minY, y!); maxY = Math.max(maxY, y!);
  }
  for (let tries = 0; tries < 200; tries++) {
    const x = minX + rng() * (maxX - minX);
    const y = minY + rng() * (maxY - minY);
    if (polygons.some((poly) => pointIn(poly, x, y))) return [Math.round(x * 1e7) / 1e7, Math.round(y * 1e7) / 1e7];
  }
  const [x, y] = polygons[0]![0]![0]!;
  return [x!, y!];
}

/** A deterministic point inside a cell for a building the import knows no coordinates of. */
export function placeInCell(seed: string, cell: GeneratorCell, fallback: [number, number]): [number, number] {
  return pointInCell(sfc32(seed), cell, fallback);
}

interface Member {
  rel: Relationship;
  age: number;
  sex: Sex;
  marital: MaritalStatus | null;
}

/** Household templates, with their share: the average is ≈ 2.5 persons per household. */
function composeHousehold(rng: Rng): { kind: string; members: Member[] } {
  const r = rng();
  const between = (lo: number, hi: number) => lo + Math.floor(rng() * (hi - lo + 1));
  const sexOf = (): Sex => (rng() < 0.5 ? 'M' : 'F');
  if (r < 0.14) {
    return { kind: 'elder_alone', members: [{ rel: 'head', age: between(62, 101), sex: rng() < 0.65 ? 'F' : 'M', marital: rng() < 0.8 ? 'widowed' : 'divorced' }] };
  }
  if (r < 0.3) {
    const age = between(60, 95);
    return {
      kind: 'elder_couple',
      members: [
        { rel: 'head', age, sex: 'M', marital: 'married' },
        { rel: 'spouse', age: Math.max(58, age - between(0, 5)), sex: 'F', marital: 'married' },
      ],
    };
  }
  if (r < 0.65) {
    const age = between(25, 48);
    const kids = Math.min(2, Math.floor(rng() * 3));
    const members: Member[] = [
      { rel: 'head', age, sex: sexOf(), marital: 'married' },
      { rel: 'spouse', age: Math.max(22, age + between(-4, 3)), sex: 'M', marital: 'married' },
    ];
    members[1]!.sex = members[0]!.sex === 'M' ? 'F' : 'M';
    for (let k = 0; k < kids; k++) members.push({ rel: 'child', age: between(0, Math.min(20, age - 22)), sex: sexOf(), marital: null });
    return { kind: 'family', members };
  }
  if (r < 0.8) {
    const age = between(36, 56);
    const members: Member[] = [
      { rel: 'head', age, sex: 'M', marital: 'married' },
      { rel: 'spouse', age: age - between(0, 4), sex: 'F', marital: 'married' },
      { rel: 'child', age: between(6, 18), sex: sexOf(), marital: null },
      { rel: 'parent', age: between(Math.max(70, age + 22), age + 36), sex: 'F', marital: 'widowed' },
    ];
    if (rng() < 0.5) {
      members.push({ rel: 'parent', age: members[3]!.age + between(0, 4), sex: 'M', marital: 'married' });
      members[3]!.marital = 'married';
    }
    return { kind: 'three_gen', members };
  }
  if (r < 0.9) {
    return { kind: 'single', members: [{ rel: 'head', age: between(19, 60), sex: sexOf(), marital: rng() < 0.7 ? 'single' : 'divorced' }] };
  }
  const age = between(23, 38);
  return {
    kind: 'young_couple',
    members: [
      { rel: 'head', age, sex: 'M', marital: 'married' },
      { rel: 'spouse', age: Math.max(21, age - between(0, 4)), sex: 'F', marital: 'married' },
    ],
  };
}

/** Generates a registry of about `persons` persons (whole households; it stops at the first household past the count). */
export function generateRegistry(options: GenerateOptions): Registry {
  if (options.cells.length === 0) throw new Error('generateRegistry: no grid cells to place households in');
  const rng = sfc32(`residents:${options.seed}`);
  const ref = options.referenceDate;
  const refDay = dayNumber(ref);
  const baseline = addYears(ref, -10);
  const fallback = options.fallbackCenter ?? [120.36, 36.068];
  const reg = emptyRegistry();
  const B = DEMO_BENEFIT_CODES;
  const between = (lo: number, hi: number) => lo + Math.floor(rng() * (hi - lo + 1));
  const pickOf = <T>(xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)]!;
  const pick = (s: string) => s[Math.floor(rng() * s.length)]!;

  // Buildings: about 40 households each, spread over the cells.
  const estimatedHouseholds = Math.ceil(options.persons / 2.5);
  const perCell = Math.max(1, Math.ceil(estimatedHouseholds / options.cells.length / 40));
  const buildingsByCell: BuildingRec[][] = [];
  let buildingNo = 0;
  for (const cell of options.cells) {
    const list: BuildingRec[] = [];
    for (let k = 0; k < perCell; k++) {
      const [lon, lat] = pointInCell(rng, cell, fallback);
      buildingNo++;
      const b: BuildingRec = {
        id: uuidFrom(rng),
        code: `DEMO-B${String(buildingNo).padStart(6, '0')}`,
        address: `演示路${buildingNo}号楼`,
        lon,
        lat,
        gridCode: cell.code,
        areaPath: cell.path,
      };
      list.push(b);
      reg.buildings.push(b);
    }
    buildingsByCell.push(list);
  }

  let personNo = 0;
  let householdNo = 0;
  let phoneNo = 0;
  const roomsUsed = new Map<string, number>();
  while (reg.persons.length < options.persons) {
    const cellIndex = Math.floor(rng() * options.cells.length);
    const building = pickOf(buildingsByCell[cellIndex]!);
    const roomSeq = (roomsUsed.get(building.id) ?? 0) + 1;
    roomsUsed.set(building.id, roomSeq);
    householdNo++;
    const household: HouseholdRec = {
      id: uuidFrom(rng),
      code: `DEMO-H${String(householdNo).padStart(7, '0')}`,
      buildingId: building.id,
      room: `${1 + Math.floor((roomSeq - 1) / 12)}-${100 * (1 + (((roomSeq - 1) % 12) >> 1)) + (roomSeq % 2) + 1}`,
      gridCode: building.gridCode,
      areaPath: building.areaPath,
    };
    reg.households.push(household);
    const { kind, members } = composeHousehold(rng);
    const householdHukou: HukouType = rng() < 0.75 ? 'local' : rng() < 0.4 ? 'city' : 'outside';
    const poor = rng() < 0.035; // a 低保-level household
    const edge = !poor && rng() < 0.012;
    // Most households have lived here for years; a few arrived recently (reconstruction demo).
    const arrived = rng() < 0.04 ? fromDayNumber(refDay - between(30, 700)) : baseline;
    const surname = pick(SURNAMES);
    const ids: PersonRec[] = [];
    for (const m of members) {
      personNo++;
      const birthDay = refDay - m.age * 365 - Math.floor(m.age / 4) - between(0, 364);
      const birthDate = fromDayNumber(birthDay);
      const sex = m.sex;
      const name = `${m.rel === 'spouse' ? pick(SURNAMES) : surname}${pick(sex === 'M' ? GIVEN_M : GIVEN_F)}演示`;
      const addr = `99${String(personNo % 10000).padStart(4, '0')}`;
      const p: PersonRec = {
        id: uuidFrom(rng),
        name,
        idNumber: makeIdNumber(addr, birthDate, Math.floor(personNo / 10000) % 500, sex),
        phone: m.age >= 16 ? `100${String(++phoneNo).padStart(8, '0')}` : null,
        birthDate,
        sex,
        registeredFrom: arrived > birthDate ? arrived : birthDate,
        movedOutOn: null,
        diedOn: null,
        areaPath: household.areaPath,
      };
      ids.push(p);
      reg.persons.push(p);
      if (personNo % 10_000 === 0) options.onProgress?.(personNo);
    }
    // Relationships, hukou, disability.
    const head = ids[0]!;
    const spouseIndex = members.findIndex((m) => m.rel === 'spouse');
    members.forEach((m, i) => {
      const p = ids[i]!;
      const sex = m.sex;
      let spouseId: string | null = null;
      if (m.rel === 'head' && spouseIndex >= 0) spouseId = ids[spouseIndex]!.id;
      if (m.rel === 'spouse') spouseId = head.id;
      const parents = members.map((x, j) => (x.rel === 'parent' ? j : -1)).filter((j) => j >= 0);
      if (m.rel === 'parent' && parents.length === 2) spouseId = ids[parents[0] === i ? parents[1]! : parents[0]!]!.id;
      const disabled = rng() < (m.age >= 60 ? 0.1 : 0.04);
      const grade = disabled ? ((rng() < 0.3 ? 1 : rng() < 0.5 ? 2 : rng() < 0.6 ? 3 : 4) as 1 | 2 | 3 | 4) : null;
      reg.versions.push({
        personId: p.id,
        validFrom: p.registeredFrom,
        validTo: null,
        maritalStatus: m.marital,
        spouseId,
        hukouType: householdHukou === 'outside' && rng() < 0.1 ? 'city' : householdHukou,
        hukouPlace: householdHukou === 'local' ? '370202' : householdHukou === 'city' ? '370203' : null,
        disabilityType: disabled ? (pickOf(DISABILITY_TYPES) as DisabilityType) : null,
        disabilityGrade: grade,
      });
      reg.memberships.push({ personId: p.id, householdId: household.id, relationship: m.rel, validFrom: p.registeredFrom, validTo: null });
      // Income (分/月): pensions for the old, wages for working age, none for children.
      let income = 0;
      if (m.age >= 60) income = between(1200, 5200) * 100;
      else if (m.age >= 19 && m.age < 60) income = rng() < 0.12 ? between(0, 1500) * 100 : between(2500, 15000) * 100;
      if (poor) income = m.age >= 19 ? between(0, 800) * 100 : 0;
      if (edge) income = m.age >= 19 ? between(900, 1500) * 100 : 0;
      if (rng() < 0.2 && p.registeredFrom < addDays(ref, -400)) {
        // An earlier declaration, changed half a year ago: the past registry differs.
        reg.incomes.push({ personId: p.id, declaredOn: p.registeredFrom, monthlyIncomeFen: Math.max(0, income + between(-1500, 1500) * 100) });
        reg.incomes.push({ personId: p.id, declaredOn: addDays(ref, -between(100, 250)), monthlyIncomeFen: income });
      } else {
        reg.incomes.push({ personId: p.id, declaredOn: p.registeredFrom, monthlyIncomeFen: income });
      }
      const status = (s: SpecialStatus, from = p.registeredFrom, to: string | null = null) =>
        reg.statuses.push({ personId: p.id, status: s, validFrom: from, validTo: to });
      if (poor) status('dibao', p.registeredFrom < addDays(ref, -900) ? addDays(ref, -between(200, 900)) : p.registeredFrom);
      if (edge) status('dibao_edge');
      if (kind === 'elder_alone') status('living_alone');
      if (kind === 'elder_alone' && poor && rng() < 0.4) status('tekun');
      if (kind === 'elder_couple') status('empty_nest');
      if (sex === 'M' && m.age >= 40 && rng() < 0.03) status('veteran');
      if (poor && rng() < 0.15) status('poverty_watch');
      if (kind === 'young_couple' && rng() < 0.35) {
        status('pregnancy_planned', addDays(ref, -between(30, 500)));
        if (householdHukou === 'outside') status('floating_policy', addDays(ref, -between(30, 500)));
      }
      if (!poor && rng() < 0.006 && p.registeredFrom < addDays(ref, -800)) {
        // A 低保 that ended last year (income rose): in the past registry only.
        status('dibao', p.registeredFrom, addDays(ref, -between(60, 400)));
      }

      // Receipts.
      const receipt = (code: string, from: string, to: string | null, amountFen: number) =>
        reg.receipts.push({ personId: p.id, benefitCode: code, periodFrom: from, periodTo: to, amountFen });
      const age70 = addYears(p.birthDate, 70);
      if (age70 <= ref && rng() < 0.82) {
        const start = age70 > p.registeredFrom ? age70 : p.registeredFrom;
        receipt(B.elderly, `${start.slice(0, 7)}-01`, null, m.age >= 100 ? 50000 : m.age >= 90 ? 30000 : m.age >= 80 ? 20000 : 10000);
      }
      if (poor && rng() < 0.85) receipt(B.dibao, addDays(ref, -between(60, 700)), null, 105000);
      if (!poor && !edge && rng() < 0.004 && m.age >= 19) receipt(B.dibao, addDays(ref, -between(200, 700)), null, 105000); // over income now
      if (grade !== null && (poor || edge) && rng() < 0.7) receipt(B.disabilityLiving, addDays(ref, -between(60, 900)), null, 9000);
      if (grade !== null && grade <= 2 && rng() < 0.7) receipt(B.disabilityCare, addDays(ref, -between(60, 900)), null, 9000);
      if (kind === 'young_couple' && rng() < 0.25) {
        const on = addDays(ref, -between(20, 400));
        receipt(B.prepregnancy, on, on, 0);
      }
      if (sex === 'F' && m.age >= 13 && m.age <= 15 && rng() < 0.4) {
        const on = addDays(ref, -between(20, 300));
        receipt(B.hpv, on, on, 0);
      }
      if ((kind === 'elder_alone' || kind === 'elder_couple') && m.rel === 'head' && rng() < 0.3) {
        const on = addDays(ref, -between(30, 700));
        receipt(B.gasValve, on, on, 0);
      }
    });
    // Life events in the last year: deaths among the old (receipts left open: the stop list)
    // and households moving out of the district.
    ids.forEach((p, i) => {
      if (members[i]!.age >= 75 && rng() < 0.03) p.diedOn = addDays(ref, -between(5, 330));
    });
    if (rng() < 0.01) {
      const on = addDays(ref, -between(5, 330));
      for (const p of ids) if (p.registeredFrom < on) p.movedOutOn = on;
    }
  }
  options.onProgress?.(reg.persons.length);
  return reg;
}
