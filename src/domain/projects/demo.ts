/**
 * The demo programme: "2026年市南区民生实事（演示）", 5类15件29项 in the shape of the seeds
 * (新增托位 500 个; 改造老旧小区 14 个 / 惠及 6527 户; 道路 5312 米; 乔灌木栽植 95 %, 地被 20 %;
 * 智能燃气阀 2.9万户). Written by the project, flagged is_demo, deterministic (seeded PRNG); the
 * reports are filed through the same use case owners use, as the system actor "demo-seed".
 */
import { deflateSync } from 'node:zlib';
import type { SystemActor } from '../../shared/authz';
import { areasService, createRng, type LocatorCache } from '../areas';
import type { Db } from '../../shared/db';
import type { Clock } from '../../shared/clock';
import * as repo from './repo';
import * as service from './service';
import type { ItemBody } from './contract';
import type { Stage } from './core/derive';

export const DEMO_YEAR = 2026;

type Leaf = {
  title: string;
  owner: string;
  rule?: 'targets' | 'stage';
  targets?: { metric: string; unit: string; kind: 'count' | 'quantity' | 'percent'; baseline?: number; target: number }[];
  /** Share of the way done at each demo report date (2026-05-31, 2026-08-31, 2026-11-15), or stages. */
  path: number[] | ('preparing' | 'tendering' | 'constructing' | 'accepting' | 'done')[];
  budgetWan: number;
  end?: string;
};
type Item = { title: string; category: string; owner: string; leaves: Leaf[] };

const CATEGORIES = [
  { code: 'edu', name: '教育体育' },
  { code: 'elderly', name: '养老助残' },
  { code: 'housing', name: '城市更新与住房' },
  { code: 'transport', name: '交通出行' },
  { code: 'services', name: '环境与公共服务' },
];

const ITEMS: Item[] = [
  { title: '扩大优质教育和托育资源供给', category: 'edu', owner: 'education-sports', leaves: [
    { title: '新建改扩建中小学、幼儿园，新增学位', owner: 'education-sports', targets: [{ metric: '新增学位', unit: '个', kind: 'count', target: 2160 }], path: [0.3, 0.7, 1], budgetWan: 18600 },
    { title: '新增普惠性托位', owner: 'health', targets: [{ metric: '新增托位', unit: '个', kind: 'count', target: 500 }], path: [0.2, 0.55, 0.86], budgetWan: 1500 },
  ] },
  { title: '守护学生健康成长', category: 'edu', owner: 'education-sports', leaves: [
    { title: '中小学生近视筛查全覆盖', owner: 'health', targets: [{ metric: '筛查覆盖率', unit: '%', kind: 'percent', baseline: 60, target: 100 }], path: [0.4, 0.8, 1], budgetWan: 120 },
    { title: '改造提升校园足球场', owner: 'education-sports', targets: [{ metric: '改造足球场', unit: '个', kind: 'count', target: 8 }], path: [0.125, 0.375, 0.75], budgetWan: 960 },
  ] },
  { title: '完善全民健身设施', category: 'edu', owner: 'education-sports', leaves: [
    { title: '口袋公园配建健身设施', owner: 'urban-management', targets: [{ metric: '新建健身点', unit: '处', kind: 'count', target: 20 }], path: [0.25, 0.6, 0.9], budgetWan: 400 },
    { title: '举办社区全民健身赛事', owner: 'education-sports', targets: [{ metric: '举办赛事', unit: '场', kind: 'count', target: 50 }], path: [0.3, 0.66, 1], budgetWan: 150 },
  ] },
  { title: '发展社区助老餐饮服务', category: 'elderly', owner: 'civil-affairs', leaves: [
    { title: '新建社区长者食堂', owner: 'civil-affairs', targets: [{ metric: '新建长者食堂', unit: '个', kind: 'count', target: 12 }], path: [0.25, 0.5, 0.75], budgetWan: 600 },
    { title: '提供助餐服务', owner: 'civil-affairs', targets: [{ metric: '助餐服务', unit: '人次', kind: 'quantity', target: 120000 }], path: [0.35, 0.68, 0.9], budgetWan: 360 },
  ] },
  { title: '推进居家养老服务', category: 'elderly', owner: 'civil-affairs', leaves: [
    { title: '特殊困难老年人家庭适老化改造', owner: 'civil-affairs', targets: [{ metric: '适老化改造', unit: '户', kind: 'count', target: 300 }], path: [0.3, 0.7, 1], budgetWan: 150 },
    { title: '建设家庭养老床位', owner: 'civil-affairs', targets: [{ metric: '家庭养老床位', unit: '张', kind: 'count', target: 200 }], path: [0.1, 0.2, 0.4], budgetWan: 240 },
  ] },
  { title: '加强残疾人关爱服务', category: 'elderly', owner: 'civil-affairs', leaves: [
    { title: '残疾人精准康复服务', owner: 'health', targets: [{ metric: '康复服务', unit: '人', kind: 'count', target: 1500 }], path: [0.4, 0.75, 1], budgetWan: 300 },
    { title: '公共场所无障碍设施改造', owner: 'housing', targets: [{ metric: '无障碍改造', unit: '处', kind: 'count', target: 40 }], path: [0.2, 0.5, 0.8], budgetWan: 280 },
  ] },
  { title: '实施老旧小区改造', category: 'housing', owner: 'housing', leaves: [
    { title: '改造老旧小区', owner: 'housing', targets: [{ metric: '改造老旧小区', unit: '个', kind: 'count', target: 14 }, { metric: '惠及居民', unit: '户', kind: 'count', target: 6527 }], path: [0.28, 0.64, 0.93], budgetWan: 21000 },
    { title: '既有住宅加装电梯', owner: 'housing', targets: [{ metric: '加装电梯', unit: '部', kind: 'count', target: 60 }], path: [0.2, 0.45, 0.7], budgetWan: 1800 },
  ] },
  { title: '保障特殊群体用气安全', category: 'housing', owner: 'urban-management', leaves: [
    { title: '特殊群体家庭安装智能燃气阀', owner: 'urban-management', targets: [{ metric: '安装智能燃气阀', unit: '户', kind: 'count', target: 29000 }], path: [0.45, 0.82, 1], budgetWan: 870 },
  ] },
  { title: '推进片区更新改造', category: 'housing', owner: 'housing', leaves: [
    { title: '历史城区片区保护更新', owner: 'housing', rule: 'stage', path: ['preparing', 'tendering', 'constructing'], budgetWan: 5200 },
  ] },
  { title: '整治提升城市道路', category: 'transport', owner: 'urban-management', leaves: [
    { title: '背街小巷道路整治', owner: 'urban-management', targets: [{ metric: '整治道路', unit: '米', kind: 'quantity', target: 5312 }], path: [0.3, 0.75, 1], budgetWan: 2650 },
    { title: '统一南路乔灌木栽植', owner: 'urban-management', targets: [{ metric: '乔灌木栽植完成率', unit: '%', kind: 'percent', target: 100 }], path: [0.4, 0.8, 0.95], budgetWan: 320 },
    { title: '统一南路地被栽植', owner: 'urban-management', targets: [{ metric: '地被栽植完成率', unit: '%', kind: 'percent', target: 100 }], path: [0, 0.05, 0.2], budgetWan: 180 },
  ] },
  { title: '缓解停车和充电难', category: 'transport', owner: 'urban-management', leaves: [
    { title: '新增公共停车泊位', owner: 'urban-management', targets: [{ metric: '新增泊位', unit: '个', kind: 'count', target: 1200 }], path: [0.3, 0.62, 0.88], budgetWan: 3600 },
    { title: '建设公共充电桩', owner: 'power-supply', targets: [{ metric: '公共充电桩', unit: '个', kind: 'count', target: 200 }], path: [0.25, 0.6, 0.85], budgetWan: 800 },
  ] },
  { title: '优化公共交通', category: 'transport', owner: 'urban-management', leaves: [
    { title: '优化调整公交线路', owner: 'urban-management', targets: [{ metric: '优化线路', unit: '条', kind: 'count', target: 8 }], path: [0.25, 0.625, 1], budgetWan: 60 },
    { title: '人行天桥无障碍改造', owner: 'housing', rule: 'stage', path: ['preparing', 'tendering', 'tendering'], budgetWan: 900 },
  ] },
  { title: '治理城市积水点', category: 'services', owner: 'urban-management', leaves: [
    { title: '整治道路积水点', owner: 'urban-management', targets: [{ metric: '剩余积水点', unit: '处', kind: 'count', baseline: 40, target: 10 }], path: [0.3, 0.7, 0.9], budgetWan: 1400 },
    { title: '雨污分流改造', owner: 'environment', targets: [{ metric: '雨污分流管网', unit: '公里', kind: 'quantity', target: 8.5 }], path: [0.2, 0.55, 0.8], budgetWan: 4200 },
  ] },
  { title: '提升环境卫生设施', category: 'services', owner: 'urban-management', leaves: [
    { title: '新建改造公共厕所', owner: 'urban-management', targets: [{ metric: '新建改造公厕', unit: '座', kind: 'count', target: 30 }], path: [0.3, 0.6, 0.83], budgetWan: 1200 },
    { title: '垃圾分类示范社区创建', owner: 'environment', rule: 'stage', path: ['tendering', 'constructing', 'accepting'], budgetWan: 300 },
  ] },
  { title: '打造便民政务服务圈', category: 'services', owner: 'market-regulation', leaves: [
    { title: '5分钟政务服务圈建设', owner: 'market-regulation', rule: 'stage', path: ['constructing', 'accepting', 'done'], budgetWan: 450 },
    { title: '设置24小时自助服务点', owner: 'market-regulation', targets: [{ metric: '自助服务点', unit: '个', kind: 'count', target: 20 }], path: [0.3, 0.65, 1], budgetWan: 200 },
  ] },
];

const REPORT_DAYS = ['2026-05-31', '2026-08-31', '2026-11-15'];
const NARRATIVES = ['完成方案设计和立项审批，启动实施。', '按计划推进实施，阶段性目标完成。', '加快推进收尾工作，组织验收。'];

/** A small solid PNG (demo evidence photo), built without any image library. */
export function demoPng(rgb: [number, number, number], w = 96, h = 64): Uint8Array {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buf: Buffer) => {
    let c = 0xffffffff;
    for (const b of buf) c = crcTable[(c ^ b) & 0xff]! ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const c = Buffer.alloc(4);
    c.writeUInt32BE(crc(td));
    return Buffer.concat([len, td, c]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr[8] = 8;
  ihdr[9] = 2;
  const raw = Buffer.alloc((w * 3 + 1) * h);
  for (let y = 0; y < h; y++) {
    raw[y * (w * 3 + 1)] = 0;
    for (let x = 0; x < w; x++) {
      const o = y * (w * 3 + 1) + 1 + x * 3;
      const shade = y > h * 0.6 ? 0.7 : 1; // a darker "ground" band
      raw[o] = Math.round(rgb[0] * shade);
      raw[o + 1] = Math.round(rgb[1] * shade);
      raw[o + 2] = Math.round(rgb[2] * shade);
    }
  }
  return new Uint8Array(Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]));
}

export async function seedDemoProjects(deps: { db: Db; clock: Clock; locators: LocatorCache }, system: SystemActor): Promise<{ items: number; subItems: number; reports: number }> {
  const districtCode = system.districtCode;
  if (await repo.findProgramme(deps.db, districtCode, DEMO_YEAR)) return { items: 0, subItems: 0, reports: 0 };
  const rng = createRng(`projects-${districtCode}`);
  const communities = await areasService.listAreaRows(deps.db, districtCode, 'community');
  const subdistricts = await areasService.listAreaRows(deps.db, districtCode, 'subdistrict');
  const center: [number, number] = [120.36, 36.068];
  await service.createProgramme(deps, system, {
    year: DEMO_YEAR,
    title: `${DEMO_YEAR}年民生实事（演示）`,
    summary: '演示数据：由系统生成，仿照“5类29项民生实事”的结构，非真实项目。',
    categories: CATEGORIES,
  }, { isDemo: true });
  let reports = 0;
  let subItems = 0;
  // One look-up of the programme's references for all 44 items (the seed runs in one transaction).
  const ctx = await service.itemContext(deps.db, districtCode, DEMO_YEAR);
  const save = async (body: ItemBody) => {
    const problems = service.checkItem(ctx, body);
    if (problems.length) throw new Error(`demo item ${body.code}: ${problems.map((p) => p.en).join('; ')}`);
    return deps.db.transaction((tx) => service.saveItemInside(deps, tx, system, ctx, body, { isDemo: true, source: 'demo', allowExisting: false }));
  };
  const today = service.shanghaiDay(deps.clock());
  for (const [k, item] of ITEMS.entries()) {
    const code = String(k + 1);
    const parent: ItemBody = {
      code, parentCode: null, categoryCode: item.category, title: item.title, description: `${item.title}（演示）`, ownerDepartment: item.owner,
      coUnits: [], areaCodes: [], locations: [], budgetFen: 0, plannedStart: '2026-03-01', plannedEnd: '2026-12-31', progressRule: 'children', weight: 1, targets: [], milestones: [],
    };
    await save(parent);
    for (const [j, leaf] of item.leaves.entries()) {
      subItems += 1;
      const picks = rng() < 0.35 ? [] : [communities[Math.floor(rng() * communities.length)], rng() < 0.4 ? communities[Math.floor(rng() * communities.length)] : undefined].filter((c): c is NonNullable<typeof c> => !!c);
      const sameStreet = picks.length === 2 && picks[0]!.parent_code !== picks[1]!.parent_code ? [picks[0]!] : picks;
      const areaCodes = [...new Set(sameStreet.map((c) => c.code))];
      const points = Array.from({ length: areaCodes.length || 1 }, () => ({
        name: leaf.title,
        crs: 'wgs84' as const,
        geometry: { type: 'Point' as const, coordinates: [Math.round((center[0] + (rng() - 0.5) * 0.09) * 1e6) / 1e6, Math.round((center[1] + (rng() - 0.5) * 0.05) * 1e6) / 1e6] as [number, number] },
      }));
      const body: ItemBody = {
        code: `${code}.${j + 1}`,
        parentCode: code,
        categoryCode: item.category,
        title: leaf.title,
        description: `${leaf.title}。演示数据，非真实项目。`,
        ownerDepartment: leaf.owner,
        coUnits: subdistricts.length && areaCodes.length ? ['相关街道办事处'] : [],
        areaCodes,
        locations: points,
        budgetFen: leaf.budgetWan * 10_000 * 100,
        plannedStart: '2026-03-01',
        plannedEnd: leaf.end ?? '2026-12-31',
        progressRule: leaf.rule ?? 'targets',
        weight: 1,
        targets: (leaf.targets ?? []).map((t) => ({ metric: t.metric, unit: t.unit, kind: t.kind, baseline: t.baseline ?? 0, target: t.target, weight: 1 })),
        milestones: [
          { title: '方案批复', plannedOn: '2026-04-15' },
          { title: '主体完工', plannedOn: '2026-10-31' },
        ],
      };
      const saved = await save(body);
      const targets = await repo.listTargets(deps.db, [saved.id]);
      const milestones = await repo.listMilestones(deps.db, [saved.id]);
      for (const [r, asOf] of REPORT_DAYS.entries()) {
        if (asOf > today) break;
        const step = leaf.path[r]!;
        const share = typeof step === 'number' ? step : null;
        if (share === 0) continue;
        const values = share === null ? [] : targets.map((t) => {
          const v = Number(t.baseline) + (Number(t.target) - Number(t.baseline)) * share;
          return { targetId: t.id, value: t.kind === 'count' ? Math.round(v) : Math.round(v * 10) / 10 };
        });
        const ms = [
          { milestoneId: milestones[0]!.id, achievedOn: '2026-04-12' },
          ...(r === 2 && (share === null ? step === 'accepting' || step === 'done' : share >= 0.85) ? [{ milestoneId: milestones[1]!.id, achievedOn: '2026-10-28' }] : []),
        ];
        const tone: [number, number, number] = [Math.round(90 + rng() * 120), Math.round(130 + rng() * 100), Math.round(90 + rng() * 120)];
        await service.reportProgress(deps, system, saved.id, {
          asOf,
          narrative: `${leaf.title}：${NARRATIVES[r]}（演示）`,
          values,
          milestones: ms,
          stage: share === null ? (step as Stage) : null,
          correctsId: null,
          files: r === 2 || rng() < 0.3 ? [{ fileName: `现场照片-${code}-${j + 1}-${r + 1}.png`, contentBase64: Buffer.from(demoPng(tone)).toString('base64') }] : [],
        });
        reports += 1;
      }
    }
  }
  return { items: ITEMS.length, subItems, reports };
}
