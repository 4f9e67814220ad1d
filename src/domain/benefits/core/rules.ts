/**
 * The policy rule language (docs/POLICY-RULES.md): a policy is JSON data — who is eligible,
 * who is excluded, which tier pays how much, the legal basis and the period in force. This file
 * holds the types, the fact catalogue and the validator. The validator is the only door: the
 * compilers (compile.ts, compile-sql.ts) accept nothing it has not checked.
 *
 * Safety by construction: there are no expressions, no code, no column names in a rule — only
 * known fact names, known operators and literal values (which the SQL compiler always binds as
 * parameters). Size and depth are bounded.
 */
import type { SpecialStatus } from '../../residents';
import { isIsoDate } from './dates';

export interface Bilingual {
  zh: string;
  en: string;
}

export const NUM_OPS = ['=', '!=', '<', '<=', '>', '>='] as const;
export type NumOp = (typeof NUM_OPS)[number];
export const SET_OPS = ['in', 'notIn'] as const;
export type SetOp = (typeof SET_OPS)[number];

/** Numeric facts (integers). Money in 分. perCapitaIncomeFen is compared exactly (no rounding). */
export const NUM_FACTS = {
  age: { zh: '年龄', en: 'age', unit: { zh: '岁', en: 'years' }, money: false, min: 0, max: 150 },
  monthlyIncomeFen: { zh: '本人月收入', en: 'own monthly income', unit: null, money: true, min: 0, max: 1e11 },
  householdSize: { zh: '家庭人口', en: 'household size', unit: { zh: '人', en: 'persons' }, money: false, min: 0, max: 100 },
  householdIncomeFen: { zh: '家庭月收入', en: 'household monthly income', unit: null, money: true, min: 0, max: 1e11 },
  perCapitaIncomeFen: { zh: '家庭人均月收入', en: 'per-capita monthly income', unit: null, money: true, min: 0, max: 1e11 },
  disabilityGrade: { zh: '残疾等级', en: 'disability grade', unit: { zh: '级', en: '' }, money: false, min: 1, max: 4 },
} as const;
export type NumFact = keyof typeof NUM_FACTS;

/** Facts with a closed set of values. A missing value (null) matches no comparison. */
export const ENUM_FACTS = {
  sex: { zh: '性别', en: 'sex', values: ['M', 'F'] },
  maritalStatus: { zh: '婚姻状况', en: 'marital status', values: ['single', 'married', 'divorced', 'widowed'] },
  hukouType: { zh: '户籍类型', en: 'hukou type', values: ['local', 'city', 'outside'] },
  disabilityType: { zh: '残疾类别', en: 'disability type', values: ['视力', '听力', '言语', '肢体', '智力', '精神', '多重'] },
} as const;
export type EnumFact = keyof typeof ENUM_FACTS;

export const BOOL_FACTS = {
  alive: { zh: '在世', en: 'alive' },
  resident: { zh: '居住在本区', en: 'living in the district' },
  hasDisability: { zh: '持残疾证', en: 'has a disability certificate' },
  isHouseholdHead: { zh: '户主', en: 'head of household' },
  hasSpouse: { zh: '有配偶', en: 'has a spouse' },
} as const;
export type BoolFact = keyof typeof BOOL_FACTS;

export const ENUM_VALUE_LABELS: Record<string, Bilingual> = {
  M: { zh: '男', en: 'male' },
  F: { zh: '女', en: 'female' },
  single: { zh: '未婚', en: 'single' },
  married: { zh: '已婚', en: 'married' },
  divorced: { zh: '离异', en: 'divorced' },
  widowed: { zh: '丧偶', en: 'widowed' },
  local: { zh: '本区户籍', en: 'local hukou' },
  city: { zh: '本市外区户籍', en: 'hukou elsewhere in the city' },
  outside: { zh: '外地户籍（流动人口）', en: 'hukou outside the city (floating)' },
  视力: { zh: '视力', en: 'visual' },
  听力: { zh: '听力', en: 'hearing' },
  言语: { zh: '言语', en: 'speech' },
  肢体: { zh: '肢体', en: 'physical' },
  智力: { zh: '智力', en: 'intellectual' },
  精神: { zh: '精神', en: 'mental' },
  多重: { zh: '多重', en: 'multiple' },
};

export const STATUS_LABELS: Record<SpecialStatus, Bilingual> = {
  dibao: { zh: '低保对象', en: 'minimum-living-allowance recipient' },
  dibao_edge: { zh: '低保边缘', en: 'near-dibao household' },
  tekun: { zh: '特困供养', en: 'extreme-poverty support' },
  living_alone: { zh: '独居老人', en: 'elder living alone' },
  empty_nest: { zh: '空巢老人', en: 'empty-nest elder' },
  veteran: { zh: '退役军人', en: 'veteran' },
  poverty_watch: { zh: '防止返贫监测对象', en: 'poverty-relapse watch' },
  pregnancy_planned: { zh: '计划怀孕', en: 'planning a pregnancy' },
  floating_policy: { zh: '流动人口（符合生育政策）', en: 'floating population within policy' },
};

type Labelled = { label?: Bilingual };
export type Condition = Labelled &
  (
    | { all: Condition[] }
    | { any: Condition[] }
    | { not: Condition }
    | { fact: NumFact; op: NumOp; value: number }
    | { fact: EnumFact; op: SetOp; value: string[] }
    | { fact: BoolFact; op: '='; value: boolean }
    | { status: SpecialStatus }
    | { receiving: string }
    | { since: string; unit: 'days' | 'months'; op: NumOp; value: number; never: boolean }
    | { householdCount: Condition; op: NumOp; value: number }
    | { spouse: Condition }
  );

/**
 * 补差: the monthly amount is what brings the household's per-capita income up to a standard
 * (低保: standard − per-capita income, for each member), never less than `minFen`.
 */
export interface TopUp {
  toFen: number;
  minFen: number;
}

export interface Tier {
  code: string;
  name: Bilingual;
  when: Condition;
  /** A fixed monthly amount in 分; null when the tier tops up (`topUp`). */
  monthlyFen: number | null;
  topUp?: TopUp | null;
}

/**
 * One person's monthly amount in a tier, in 分: the fixed amount, or the top-up rounded to the
 * 分 — max(minFen, round(toFen − household income ÷ household size)). Summed over the members
 * of a household, the top-ups give (standard × size − household income), the 低保 formula.
 */
export function tierAmountFen(t: Tier, householdIncomeFen: number, householdSize: number): number {
  if (t.topUp) return Math.max(t.topUp.minFen, Math.round(t.topUp.toFen - householdIncomeFen / Math.max(1, householdSize)));
  return t.monthlyFen ?? 0;
}

export interface Policy {
  code: string;
  version: number;
  name: Bilingual;
  /** monthly: a cash allowance paid each month; one_off: a service given on request (may repeat). */
  kind: 'monthly' | 'one_off';
  /** The benefit code in the registry's receipts; defaults to the policy code. */
  benefitCode: string;
  legalBasis: string;
  effectiveFrom: string;
  effectiveTo: string | null;
  eligibility: Condition;
  exclusions: Condition[];
  tiers: Tier[];
  /** Monthly amount when there are no tiers (null for services). */
  monthlyFen: number | null;
  /** What is handed over, for services ("6 瓶叶酸"). */
  inKind: Bilingual | null;
}

export interface RuleError {
  path: string;
  zh: string;
  en: string;
}

export const LIMITS = { maxNodes: 400, maxDepth: 12, maxTiers: 20, maxExclusions: 20, maxText: 2000, maxSetValues: 50 };
const CODE_RE = /^[a-z][a-z0-9_]{1,39}$/;
/** The registry's statuses; STATUS_LABELS is typed Record<SpecialStatus,…>, so the compiler keeps the two lists equal. */
export const SPECIAL_STATUSES = Object.keys(STATUS_LABELS) as SpecialStatus[];
const STATUS_SET = new Set<string>(SPECIAL_STATUSES);

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

class Checker {
  errors: RuleError[] = [];
  nodes = 0;
  err(path: string, zh: string, en: string) {
    if (this.errors.length < 50) this.errors.push({ path, zh, en });
  }

  bilingual(v: unknown, path: string, required = true): Bilingual | null {
    if (v === undefined || v === null) {
      if (required) this.err(path, '必填：中文和英文名称 {"zh":…, "en":…}', 'required: a Chinese and an English text {"zh":…, "en":…}');
      return null;
    }
    if (!isObj(v) || typeof v.zh !== 'string' || typeof v.en !== 'string' || !v.zh.trim() || !v.en.trim()) {
      this.err(path, '应为 {"zh":"中文","en":"English"}，两者都不能为空', 'must be {"zh":"…","en":"…"}, both non-empty');
      return null;
    }
    if (v.zh.length > LIMITS.maxText || v.en.length > LIMITS.maxText) this.err(path, `文字过长（最多 ${LIMITS.maxText} 字）`, `text too long (max ${LIMITS.maxText})`);
    this.onlyKeys(v, ['zh', 'en'], path);
    return { zh: v.zh, en: v.en };
  }

  onlyKeys(o: Record<string, unknown>, allowed: string[], path: string) {
    for (const k of Object.keys(o)) {
      if (!allowed.includes(k)) this.err(`${path}.${k}`, `未知字段「${k}」（允许：${allowed.join('、')}）`, `unknown field "${k}" (allowed: ${allowed.join(', ')})`);
    }
  }

  int(v: unknown, path: string, min: number, max: number): v is number {
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min || v > max) {
      this.err(path, `应为 ${min} 到 ${max} 之间的整数`, `must be a whole number from ${min} to ${max}`);
      return false;
    }
    return true;
  }

  op(v: unknown, path: string): v is NumOp {
    if (!(NUM_OPS as readonly unknown[]).includes(v)) {
      this.err(path, `比较符应为 ${NUM_OPS.join(' ')} 之一`, `operator must be one of ${NUM_OPS.join(' ')}`);
      return false;
    }
    return true;
  }

  benefitCode(v: unknown, path: string): v is string {
    if (typeof v !== 'string' || !CODE_RE.test(v)) {
      this.err(path, '应为待遇代码（小写字母开头，字母数字下划线，2–40 位）', 'must be a benefit code (lower-case letter first, letters, digits, _; 2–40 chars)');
      return false;
    }
    return true;
  }

  /** member: inside householdCount or spouse, where those two may not nest. */
  condition(v: unknown, path: string, depth: number, member: boolean): void {
    if (++this.nodes > LIMITS.maxNodes) {
      if (this.nodes === LIMITS.maxNodes + 1) this.err(path, `条件过多（最多 ${LIMITS.maxNodes} 个）`, `too many clauses (max ${LIMITS.maxNodes})`);
      return;
    }
    if (depth > LIMITS.maxDepth) {
      this.err(path, `嵌套过深（最多 ${LIMITS.maxDepth} 层）`, `nested too deep (max ${LIMITS.maxDepth})`);
      return;
    }
    if (!isObj(v)) {
      this.err(path, '条件应为对象，例如 {"fact":"age","op":">=","value":70}', 'a clause must be an object, e.g. {"fact":"age","op":">=","value":70}');
      return;
    }
    if (v.label !== undefined) this.bilingual(v.label, `${path}.label`);
    const kinds = ['all', 'any', 'not', 'fact', 'status', 'receiving', 'since', 'householdCount', 'spouse'].filter((k) => k in v);
    if (kinds.length !== 1) {
      this.err(
        path,
        kinds.length === 0 ? '缺少条件类型：all / any / not / fact / status / receiving / since / householdCount / spouse' : `一个条件只能有一种类型，发现：${kinds.join('、')}`,
        kinds.length === 0 ? 'missing the clause kind: all / any / not / fact / status / receiving / since / householdCount / spouse' : `a clause has exactly one kind, found: ${kinds.join(', ')}`,
      );
      return;
    }
    const kind = kinds[0]!;
    switch (kind) {
      case 'all':
      case 'any': {
        this.onlyKeys(v, [kind, 'label'], path);
        const list = v[kind];
        if (!Array.isArray(list) || list.length === 0) {
          this.err(`${path}.${kind}`, '应为非空的条件列表', 'must be a non-empty list of clauses');
          return;
        }
        list.forEach((c, i) => this.condition(c, `${path}.${kind}[${i}]`, depth + 1, member));
        return;
      }
      case 'not':
        this.onlyKeys(v, ['not', 'label'], path);
        this.condition(v.not, `${path}.not`, depth + 1, member);
        return;
      case 'fact': {
        this.onlyKeys(v, ['fact', 'op', 'value', 'label'], path);
        const f = v.fact;
        if (typeof f === 'string' && f in NUM_FACTS) {
          const meta = NUM_FACTS[f as NumFact];
          this.op(v.op, `${path}.op`);
          this.int(v.value, `${path}.value`, meta.min, meta.max);
        } else if (typeof f === 'string' && f in ENUM_FACTS) {
          const meta = ENUM_FACTS[f as EnumFact];
          if (v.op !== 'in' && v.op !== 'notIn') this.err(`${path}.op`, '此项只能用 in 或 notIn', 'this fact takes "in" or "notIn"');
          const vals = v.value;
          if (!Array.isArray(vals) || vals.length === 0 || vals.length > LIMITS.maxSetValues) {
            this.err(`${path}.value`, '应为非空的取值列表', 'must be a non-empty list of values');
          } else {
            vals.forEach((x, i) => {
              if (!(meta.values as readonly unknown[]).includes(x)) this.err(`${path}.value[${i}]`, `取值应为 ${meta.values.join('、')} 之一`, `must be one of ${meta.values.join(', ')}`);
            });
          }
        } else if (typeof f === 'string' && f in BOOL_FACTS) {
          if (v.op !== '=') this.err(`${path}.op`, '是非项只能用 =', 'a yes/no fact takes "="');
          if (typeof v.value !== 'boolean') this.err(`${path}.value`, '应为 true 或 false', 'must be true or false');
        } else {
          const all = [...Object.keys(NUM_FACTS), ...Object.keys(ENUM_FACTS), ...Object.keys(BOOL_FACTS)];
          this.err(`${path}.fact`, `未知的事实项，可用：${all.join('、')}`, `unknown fact; known: ${all.join(', ')}`);
        }
        return;
      }
      case 'status':
        this.onlyKeys(v, ['status', 'label'], path);
        if (typeof v.status !== 'string' || !STATUS_SET.has(v.status)) this.err(`${path}.status`, `未知的特殊身份，可用：${SPECIAL_STATUSES.join('、')}`, `unknown status; known: ${SPECIAL_STATUSES.join(', ')}`);
        return;
      case 'receiving':
        this.onlyKeys(v, ['receiving', 'label'], path);
        this.benefitCode(v.receiving, `${path}.receiving`);
        return;
      case 'since':
        this.onlyKeys(v, ['since', 'unit', 'op', 'value', 'never', 'label'], path);
        this.benefitCode(v.since, `${path}.since`);
        if (v.unit !== 'days' && v.unit !== 'months') this.err(`${path}.unit`, '单位应为 days（天）或 months（月）', 'unit must be "days" or "months"');
        this.op(v.op, `${path}.op`);
        this.int(v.value, `${path}.value`, 0, v.unit === 'days' ? 36600 : 1200);
        if (typeof v.never !== 'boolean') this.err(`${path}.never`, '必填：从未领取时条件是否成立（true/false）', 'required: whether the clause holds for someone who never received it (true/false)');
        return;
      case 'householdCount':
      case 'spouse':
        if (member) {
          this.err(path, 'householdCount 和 spouse 不能嵌套在 householdCount 或 spouse 里', 'householdCount and spouse cannot be nested inside householdCount or spouse');
          return;
        }
        if (kind === 'spouse') {
          this.onlyKeys(v, ['spouse', 'label'], path);
          this.condition(v.spouse, `${path}.spouse`, depth + 1, true);
        } else {
          this.onlyKeys(v, ['householdCount', 'op', 'value', 'label'], path);
          this.condition(v.householdCount, `${path}.householdCount`, depth + 1, true);
          this.op(v.op, `${path}.op`);
          this.int(v.value, `${path}.value`, 0, 100);
        }
        return;
    }
  }
}

export type Validated = { ok: true; policy: Policy } | { ok: false; errors: RuleError[] };

/**
 * Check a policy given as JSON. Errors name the path of the bad clause (`eligibility.all[1].value`)
 * in Chinese and English. Defaults: kind monthly, benefitCode = code, exclusions/tiers [],
 * monthlyFen/inKind/effectiveTo null.
 */
export function validatePolicy(input: unknown): Validated {
  const c = new Checker();
  if (!isObj(input)) return { ok: false, errors: [{ path: '$', zh: '政策应为 JSON 对象', en: 'a policy must be a JSON object' }] };
  c.onlyKeys(input, ['code', 'version', 'name', 'kind', 'benefitCode', 'legalBasis', 'effectiveFrom', 'effectiveTo', 'eligibility', 'exclusions', 'tiers', 'monthlyFen', 'inKind'], '$');
  if (typeof input.code !== 'string' || !CODE_RE.test(input.code)) c.err('code', '政策代码：小写字母开头，字母数字下划线，2–40 位', 'code: lower-case letter first, letters, digits, _; 2–40 chars');
  const version = input.version ?? 1;
  c.int(version, 'version', 1, 100000);
  c.bilingual(input.name, 'name');
  const kind = input.kind ?? 'monthly';
  if (kind !== 'monthly' && kind !== 'one_off') c.err('kind', '类型应为 monthly（按月发放）或 one_off（服务，可重复）', 'kind must be "monthly" or "one_off"');
  const benefitCode = input.benefitCode ?? input.code;
  c.benefitCode(benefitCode, 'benefitCode');
  if (typeof input.legalBasis !== 'string' || !input.legalBasis.trim()) c.err('legalBasis', '必填：政策依据（文件名称、文号、条款）', 'required: the legal basis (document, number, article)');
  else if (input.legalBasis.length > LIMITS.maxText) c.err('legalBasis', '文字过长', 'text too long');
  if (!isIsoDate(input.effectiveFrom)) c.err('effectiveFrom', '生效日期应为 YYYY-MM-DD', 'effectiveFrom must be a date YYYY-MM-DD');
  const to = input.effectiveTo ?? null;
  if (to !== null && !isIsoDate(to)) c.err('effectiveTo', '失效日期应为 YYYY-MM-DD 或 null', 'effectiveTo must be a date YYYY-MM-DD or null');
  if (isIsoDate(input.effectiveFrom) && isIsoDate(to) && to < input.effectiveFrom) c.err('effectiveTo', '失效日期（最后有效日）不能早于生效日期', 'effectiveTo (the last day in force) cannot be before effectiveFrom');
  c.condition(input.eligibility, 'eligibility', 0, false);
  const exclusions = input.exclusions ?? [];
  if (!Array.isArray(exclusions) || exclusions.length > LIMITS.maxExclusions) c.err('exclusions', `应为条件列表（最多 ${LIMITS.maxExclusions} 条）`, `must be a list of clauses (max ${LIMITS.maxExclusions})`);
  else exclusions.forEach((x, i) => c.condition(x, `exclusions[${i}]`, 0, false));
  const tiers = input.tiers ?? [];
  if (!Array.isArray(tiers) || tiers.length > LIMITS.maxTiers) c.err('tiers', `应为档次列表（最多 ${LIMITS.maxTiers} 档）`, `must be a list of tiers (max ${LIMITS.maxTiers})`);
  else {
    const seen = new Set<string>();
    tiers.forEach((t, i) => {
      const p = `tiers[${i}]`;
      if (!isObj(t)) return c.err(p, '档次应为对象 {code,name,when,monthlyFen 或 topUp}', 'a tier must be an object {code,name,when,monthlyFen or topUp}');
      c.onlyKeys(t, ['code', 'name', 'when', 'monthlyFen', 'topUp'], p);
      if (typeof t.code !== 'string' || !CODE_RE.test(t.code)) c.err(`${p}.code`, '档次代码格式不对', 'bad tier code');
      else if (seen.has(t.code)) c.err(`${p}.code`, `档次代码「${t.code}」重复`, `duplicate tier code "${t.code}"`);
      else seen.add(t.code);
      c.bilingual(t.name, `${p}.name`);
      c.condition(t.when, `${p}.when`, 0, false);
      const topUp = t.topUp ?? null;
      if (topUp === null) c.int(t.monthlyFen, `${p}.monthlyFen`, 0, 1e9);
      else if ((t.monthlyFen ?? null) !== null) c.err(`${p}.monthlyFen`, '补差档次（topUp）不写固定金额，此处应省略或为 null', 'a top-up tier (topUp) has no fixed amount: omit monthlyFen or set it to null');
      if (topUp !== null) {
        if (!isObj(topUp)) c.err(`${p}.topUp`, '补差应为 {"toFen": 标准（分）, "minFen": 最低发放（分）}', 'a top-up is {"toFen": standard in 分, "minFen": minimum in 分}');
        else {
          c.onlyKeys(topUp, ['toFen', 'minFen'], `${p}.topUp`);
          c.int(topUp.toFen, `${p}.topUp.toFen`, 1, 1e9);
          c.int(topUp.minFen ?? 0, `${p}.topUp.minFen`, 0, 1e9);
        }
      }
    });
  }
  const monthlyFen = input.monthlyFen ?? null;
  if (monthlyFen !== null) c.int(monthlyFen, 'monthlyFen', 0, 1e9);
  if (Array.isArray(tiers) && tiers.length > 0 && monthlyFen !== null) c.err('monthlyFen', '有档次时金额写在各档次里，此处应为 null', 'with tiers the amounts go in the tiers; this must be null');
  if (kind === 'monthly' && Array.isArray(tiers) && tiers.length === 0 && monthlyFen === null) c.err('monthlyFen', '按月发放的待遇需要金额（分）或档次', 'a monthly allowance needs an amount (分) or tiers');
  const inKind = input.inKind ?? null;
  if (inKind !== null) c.bilingual(inKind, 'inKind');
  if (c.errors.length > 0) return { ok: false, errors: c.errors };
  return {
    ok: true,
    policy: {
      code: input.code as string,
      version: version as number,
      name: input.name as Bilingual,
      kind: kind as Policy['kind'],
      benefitCode: benefitCode as string,
      legalBasis: input.legalBasis as string,
      effectiveFrom: input.effectiveFrom as string,
      effectiveTo: to as string | null,
      eligibility: input.eligibility as Condition,
      exclusions: exclusions as Condition[],
      tiers: (tiers as Record<string, unknown>[]).map((t) => ({
        code: t.code as string,
        name: t.name as Bilingual,
        when: t.when as Condition,
        monthlyFen: (t.monthlyFen ?? null) as number | null,
        ...(t.topUp ? { topUp: { toFen: (t.topUp as TopUp).toFen, minFen: (t.topUp as Partial<TopUp>).minFen ?? 0 } } : {}),
      })),
      monthlyFen: monthlyFen as number | null,
      inKind: inKind as Bilingual | null,
    },
  };
}

/** Every benefit code a policy reads (receiving / since), for loading only what is needed. */
export function benefitCodesOf(p: Policy): string[] {
  const out = new Set<string>([p.benefitCode]);
  const walk = (c: Condition): void => {
    if ('all' in c) c.all.forEach(walk);
    else if ('any' in c) c.any.forEach(walk);
    else if ('not' in c) walk(c.not);
    else if ('receiving' in c) out.add(c.receiving);
    else if ('since' in c) out.add(c.since);
    else if ('householdCount' in c) walk(c.householdCount);
    else if ('spouse' in c) walk(c.spouse);
  };
  walk(p.eligibility);
  p.exclusions.forEach(walk);
  p.tiers.forEach((t) => walk(t.when));
  return [...out];
}
