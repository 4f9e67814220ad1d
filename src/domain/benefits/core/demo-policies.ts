/**
 * The demo policies of 市南区 (370202), as data — the examples of the seeds (李沧区's 政策找人 and
 * 高龄补贴, 市南区's 免费孕前优生检查 with 6 瓶叶酸, smart gas valves for special households, HPV for
 * school-age girls). Amounts and thresholds are DEMO values chosen to look plausible for Qingdao;
 * the legal-basis texts say so. A district replaces them with its own documents.
 */
import type { Policy } from './rules';

const DEMO = '（演示政策，金额与条件为示例）';

export const DEMO_POLICIES: Policy[] = [
  {
    code: 'elderly_allowance',
    version: 1,
    name: { zh: '高龄补贴', en: 'Old-age allowance' },
    kind: 'monthly',
    benefitCode: 'elderly_allowance',
    legalBasis: `《青岛市高龄津贴发放办法》：本区户籍 70 周岁以上老年人按年龄段按月发放高龄补贴。${DEMO}`,
    effectiveFrom: '2020-01-01',
    effectiveTo: null,
    eligibility: {
      all: [
        { fact: 'age', op: '>=', value: 70 },
        { fact: 'hukouType', op: 'in', value: ['local'] },
      ],
    },
    exclusions: [],
    tiers: [
      { code: 'age100', name: { zh: '第四档（100 岁以上）', en: 'tier 4 (100+)' }, when: { fact: 'age', op: '>=', value: 100 }, monthlyFen: 100000 },
      { code: 'age90', name: { zh: '第三档（90–99 岁）', en: 'tier 3 (90–99)' }, when: { fact: 'age', op: '>=', value: 90 }, monthlyFen: 50000 },
      { code: 'age80', name: { zh: '第二档（80–89 岁）', en: 'tier 2 (80–89)' }, when: { fact: 'age', op: '>=', value: 80 }, monthlyFen: 20000 },
      { code: 'age70', name: { zh: '第一档（70–79 岁）', en: 'tier 1 (70–79)' }, when: { fact: 'age', op: '>=', value: 70 }, monthlyFen: 10000 },
    ],
    monthlyFen: null,
    inKind: null,
  },
  {
    code: 'dibao',
    version: 1,
    name: { zh: '城乡最低生活保障（低保金）', en: 'Minimum living allowance (dibao)' },
    kind: 'monthly',
    benefitCode: 'dibao',
    legalBasis: `《社会救助暂行办法》第九条；本区城市低保标准 1,050 元/人/月。家庭人均月收入不高于标准的本区户籍家庭成员，每人按标准与家庭人均收入的差额补足（最低 30 元）。${DEMO}`,
    effectiveFrom: '2024-07-01',
    effectiveTo: null,
    eligibility: {
      all: [
        { fact: 'hukouType', op: 'in', value: ['local'] },
        { fact: 'perCapitaIncomeFen', op: '<=', value: 105000, label: { zh: '家庭人均月收入不高于低保标准', en: 'per-capita income within the dibao line' } },
      ],
    },
    exclusions: [{ status: 'tekun', label: { zh: '已纳入特困供养', en: 'already under extreme-poverty support' } }],
    tiers: [
      {
        code: 'gap',
        name: { zh: '补差', en: 'top-up' },
        when: { fact: 'perCapitaIncomeFen', op: '<=', value: 105000 },
        monthlyFen: null,
        topUp: { toFen: 105000, minFen: 3000 },
      },
    ],
    monthlyFen: null,
    inKind: null,
  },
  {
    code: 'disability_living',
    version: 1,
    name: { zh: '困难残疾人生活补贴', en: 'Living allowance for disabled people in hardship' },
    kind: 'monthly',
    benefitCode: 'disability_living',
    legalBasis: `《国务院关于全面建立困难残疾人生活补贴和重度残疾人护理补贴制度的意见》（国发〔2015〕52号）：低保家庭中的残疾人。${DEMO}`,
    effectiveFrom: '2016-01-01',
    effectiveTo: null,
    eligibility: {
      all: [
        { fact: 'hasDisability', op: '=', value: true },
        { any: [{ status: 'dibao' }, { status: 'dibao_edge' }], label: { zh: '低保或低保边缘家庭', en: 'dibao or near-dibao household' } },
      ],
    },
    exclusions: [{ status: 'tekun', label: { zh: '已纳入特困供养', en: 'already under extreme-poverty support' } }],
    tiers: [],
    monthlyFen: 15000,
    inKind: null,
  },
  {
    code: 'disability_care',
    version: 1,
    name: { zh: '重度残疾人护理补贴', en: 'Care allowance for severely disabled people' },
    kind: 'monthly',
    benefitCode: 'disability_care',
    legalBasis: `国发〔2015〕52号：残疾等级被评定为一级、二级且需要长期照护的重度残疾人。${DEMO}`,
    effectiveFrom: '2016-01-01',
    effectiveTo: null,
    eligibility: { all: [{ fact: 'disabilityGrade', op: '<=', value: 2 }, { fact: 'hukouType', op: 'in', value: ['local', 'city'] }] },
    exclusions: [],
    tiers: [
      { code: 'grade1', name: { zh: '一级', en: 'grade 1' }, when: { fact: 'disabilityGrade', op: '=', value: 1 }, monthlyFen: 20000 },
      { code: 'grade2', name: { zh: '二级', en: 'grade 2' }, when: { fact: 'disabilityGrade', op: '=', value: 2 }, monthlyFen: 15000 },
    ],
    monthlyFen: null,
    inKind: null,
  },
  {
    code: 'prepregnancy_check',
    version: 1,
    name: { zh: '免费孕前优生健康检查', en: 'Free pre-pregnancy health check' },
    kind: 'one_off',
    benefitCode: 'prepregnancy_check',
    legalBasis: `市南区免费孕前优生健康检查项目：符合生育政策的流动人口和一方为市南户籍的待孕夫妇，检查同时发放 6 瓶叶酸；检查次数不限，每次间隔半年以上。${DEMO}`,
    effectiveFrom: '2018-01-01',
    effectiveTo: null,
    eligibility: {
      all: [
        { status: 'pregnancy_planned' },
        { fact: 'maritalStatus', op: 'in', value: ['married'] },
        {
          any: [
            { fact: 'hukouType', op: 'in', value: ['local'] },
            { spouse: { fact: 'hukouType', op: 'in', value: ['local'] } },
            { status: 'floating_policy' },
          ],
          label: { zh: '一方为本区户籍，或符合政策的流动人口', en: 'one spouse with local hukou, or a floating couple within policy' },
        },
        { since: 'prepregnancy_check', unit: 'months', op: '>=', value: 6, never: true, label: { zh: '距上次检查满 6 个月', en: 'six months since the last check' } },
      ],
    },
    exclusions: [],
    tiers: [],
    monthlyFen: null,
    inKind: { zh: '免费孕前优生健康检查 + 6 瓶叶酸', en: 'free pre-pregnancy check + 6 bottles of folic acid' },
  },
  {
    code: 'hpv_vaccine',
    version: 1,
    name: { zh: '适龄女生 HPV 疫苗免费接种', en: 'Free HPV vaccination for school-age girls' },
    kind: 'one_off',
    benefitCode: 'hpv_vaccine',
    legalBasis: `山东省适龄女生 HPV 疫苗免费接种工作方案：13–14 周岁（初二）在校女生，未接种过 HPV 疫苗。${DEMO}`,
    effectiveFrom: '2023-09-01',
    effectiveTo: null,
    eligibility: { all: [{ fact: 'sex', op: 'in', value: ['F'] }, { fact: 'age', op: '>=', value: 13 }, { fact: 'age', op: '<=', value: 14 }] },
    exclusions: [{ since: 'hpv_vaccine', unit: 'days', op: '>=', value: 0, never: false, label: { zh: '已接种过', en: 'already vaccinated' } }],
    tiers: [],
    monthlyFen: null,
    inKind: { zh: '两剂次 HPV 疫苗', en: 'two doses of HPV vaccine' },
  },
  {
    code: 'smart_gas_valve',
    version: 1,
    name: { zh: '特殊群体智能安全燃气阀门', en: 'Smart gas safety valve for special households' },
    kind: 'one_off',
    benefitCode: 'smart_gas_valve',
    legalBasis: `市南区政府工作报告：为特殊群体安装智能安全燃气阀门。每户一套，由户主登记：家中有独居老人、特困、低保或 70 岁以上空巢老人。${DEMO}`,
    effectiveFrom: '2024-01-01',
    effectiveTo: null,
    eligibility: {
      all: [
        { any: [{ fact: 'isHouseholdHead', op: '=', value: true }, { fact: 'householdSize', op: '=', value: 1 }] },
        {
          householdCount: {
            any: [{ status: 'living_alone' }, { status: 'tekun' }, { status: 'dibao' }, { all: [{ status: 'empty_nest' }, { fact: 'age', op: '>=', value: 70 }] }],
            label: { zh: '独居老人、特困、低保或 70 岁以上空巢老人', en: 'elder living alone, tekun, dibao or empty-nest elder 70+' },
          },
          op: '>=',
          value: 1,
        },
      ],
    },
    exclusions: [
      {
        householdCount: { since: 'smart_gas_valve', unit: 'days', op: '>=', value: 0, never: false, label: { zh: '已安装', en: 'already installed' } },
        op: '>=',
        value: 1,
        label: { zh: '本户已安装', en: 'household already has one' },
      },
    ],
    tiers: [],
    monthlyFen: null,
    inKind: { zh: '一套智能安全燃气阀门（免费安装）', en: 'one smart gas valve, installed free' },
  },
];

/**
 * 20 policies for the bench: the 7 demo policies and 13 variants of them (other thresholds,
 * bands and combinations), all valid rules.
 */
export function benchPolicies(): Policy[] {
  const out: Policy[] = [...DEMO_POLICIES];
  for (let k = 0; out.length < 20; k++) {
    const base = DEMO_POLICIES[k % DEMO_POLICIES.length]!;
    const variant: Policy = JSON.parse(JSON.stringify(base)) as Policy;
    variant.code = `${base.code}_v${k}`;
    variant.benefitCode = variant.code;
    // shift the numbers a little so every variant selects differently
    const shift = (c: unknown): unknown => {
      if (Array.isArray(c)) return c.map(shift);
      if (c && typeof c === 'object') {
        const o = c as Record<string, unknown>;
        const r: Record<string, unknown> = {};
        for (const key of Object.keys(o)) r[key] = shift(o[key]);
        if (typeof o.value === 'number' && o.fact === 'age') r.value = Math.max(0, (o.value as number) + (k % 3) - 1);
        if (typeof o.value === 'number' && typeof o.fact === 'string' && o.fact.endsWith('Fen')) r.value = Math.round((o.value as number) * (1 + (k % 4) * 0.1));
        return r;
      }
      return c;
    };
    variant.eligibility = shift(variant.eligibility) as Policy['eligibility'];
    variant.tiers = shift(variant.tiers) as Policy['tiers'];
    out.push(variant);
  }
  return out;
}
