/**
 * The demo district's starting catalogue: a 3-level category tree written by the project (demo),
 * its 派单目录 (routing table) and default time limits. All of it is data a district edits; the
 * rows are inserted only where missing.
 */
import type { Queryable } from '../../shared/db';
import * as repo from './repo';

type Node = [code: string, name: string, nameEn: string, children?: Node[]];

const TREE: Node[] = [
  ['urban', '城市管理', 'Urban management', [
    ['urban.appearance', '市容环境', 'Street appearance', [
      ['urban.appearance.stall', '占道经营', 'Street stalls'],
      ['urban.appearance.litter', '乱堆乱放', 'Dumped rubbish'],
      ['urban.appearance.fumes', '餐饮油烟', 'Restaurant fumes'],
      ['urban.appearance.noise', '噪音扰民', 'Noise'],
    ]],
    ['urban.facility', '市政设施', 'Municipal facilities', [
      ['urban.facility.road', '道路破损', 'Damaged road'],
      ['urban.facility.manhole', '井盖缺失', 'Missing manhole cover'],
      ['urban.facility.drain', '排水不畅', 'Blocked drain'],
      ['urban.facility.streetlight', '路灯不亮', 'Street light out'],
    ]],
  ]],
  ['housing', '住房建设', 'Housing', [
    ['housing.property', '物业管理', 'Property management', [
      ['housing.property.service', '物业服务', 'Property service'],
      ['housing.property.elevator', '电梯故障', 'Lift out of order'],
    ]],
    ['housing.renewal', '老旧小区改造', 'Old-estate renewal', [['housing.renewal.works', '施工扰民', 'Building-site nuisance']]],
  ]],
  ['civil', '民政服务', 'Civil affairs', [
    ['civil.elderly', '养老服务', 'Elderly care', [
      ['civil.elderly.subsidy', '高龄补贴', 'Old-age allowance'],
      ['civil.elderly.meals', '助老食堂', 'Meals for the elderly'],
    ]],
    ['civil.assistance', '社会救助', 'Social assistance', [['civil.assistance.dibao', '低保', 'Minimum living allowance']]],
  ]],
  ['health', '卫生健康', 'Health', [['health.service', '医疗服务', 'Medical services', [['health.service.vaccine', '疫苗接种', 'Vaccination']]]]],
  ['environment', '生态环境', 'Environment', [['environment.pollution', '污染问题', 'Pollution', [['environment.pollution.air', '大气污染', 'Air pollution']]]]],
  ['power', '供电服务', 'Power supply', [['power.supply', '供电故障', 'Power faults', [['power.supply.outage', '停电', 'Power cut']]]]],
  ['labour', '劳动社保', 'Labour and social security', [['labour.wages', '劳动关系', 'Employment', [['labour.wages.arrears', '拖欠工资', 'Unpaid wages']]]]],
  ['education', '教育体育', 'Education and sports', [['education.school', '学校教育', 'Schools', [['education.school.enrolment', '入学咨询', 'School enrolment']]]]],
];

const AUTO_DISPATCH = new Set(['power.supply.outage']);

const ROUTES: [category: string, unit: string, reason: string][] = [
  ['urban', 'department:urban-management', '职能: 城管'],
  ['urban.appearance.stall', 'subdistrict:local', '属地管理: 街道'],
  ['urban.appearance.litter', 'subdistrict:local', '属地管理: 街道'],
  ['urban.appearance.fumes', 'department:environment', '职能: 生态环境'],
  ['housing', 'department:housing', '职能: 住建'],
  ['housing.property', 'subdistrict:local', '属地管理: 街道物业办'],
  ['civil', 'department:civil-affairs', '职能: 民政'],
  ['health', 'department:health', '职能: 卫健'],
  ['environment', 'department:environment', '职能: 生态环境'],
  ['power', 'department:power-supply', '职能: 供电'],
  ['labour', 'department:human-resources', '职能: 人社'],
  ['education', 'department:education-sports', '职能: 教体'],
];

/** Defaults after 12345 practice: emergency the same day; consultation and help 3 working days; others 10. */
const LIMITS: repo.TimeLimitRow[] = [
  { ticket_type: null, category_code: null, urgency: null, accept_working_hours: 2, handle_working_days: 10, handle_working_hours: null },
  { ticket_type: 'consultation', category_code: null, urgency: null, accept_working_hours: 2, handle_working_days: 3, handle_working_hours: null },
  { ticket_type: 'help', category_code: null, urgency: null, accept_working_hours: 2, handle_working_days: 3, handle_working_hours: null },
  { ticket_type: 'praise', category_code: null, urgency: null, accept_working_hours: 2, handle_working_days: 3, handle_working_hours: null },
  { ticket_type: null, category_code: null, urgency: 'urgent', accept_working_hours: 1, handle_working_days: 5, handle_working_hours: null },
  { ticket_type: null, category_code: null, urgency: 'emergency', accept_working_hours: 0.5, handle_working_days: null, handle_working_hours: 4 },
];

export async function seedTicketCatalogue(q: Queryable, districtCode: string): Promise<void> {
  const existing = new Set((await repo.listCategories(q, districtCode)).map((c) => c.code));
  const walk = async (nodes: Node[], parent: string | null, level: number) => {
    for (const [code, name, nameEn, children] of nodes) {
      if (!existing.has(code)) {
        await repo.upsertCategory(q, districtCode, { code, parent_code: parent, level, name, name_en: nameEn, auto_dispatch: AUTO_DISPATCH.has(code) });
      }
      if (children) await walk(children, code, level + 1);
    }
  };
  await walk(TREE, null, 1);
  if ((await repo.listRoutes(q, districtCode)).length === 0) {
    for (const [category_code, unit, reason] of ROUTES) await repo.insertRoute(q, districtCode, { category_code, area_path: null, unit, reason });
  }
  if ((await repo.countTimeLimits(q, districtCode)) === 0) {
    for (const l of LIMITS) await repo.insertTimeLimit(q, districtCode, l);
  }
}
