/**
 * Why: the verdict of one policy for one person, with every reason in Chinese and English
 * ("82 岁 ≥ 80 → 第二档 200 元/月"; "家庭人均月收入 1,120 元 > 1,050 元"). A plain interpreter over
 * the rule tree, written independently of the compiled closures (it computes ages and months
 * directly rather than through cut-off dates), and tested to agree with them.
 */
import type { Bilingual, Condition, NumOp, Policy } from './rules';
import { BOOL_FACTS, ENUM_FACTS, ENUM_VALUE_LABELS, NUM_FACTS, STATUS_LABELS, tierAmountFen } from './rules';
import type { FactsTable } from './table';
import { statusBit } from './table';
import { ageAt, daysSince, isoOf, monthsSince, ymdOf } from './dates';
import { categoryOf, inForce, type Category } from './compile';

export interface Reason {
  /** where in the policy: "eligibility.all[1]", "tiers[2].when", "$alive" … */
  path: string;
  ok: boolean;
  zh: string;
  en: string;
}

export const STOP_REASONS = ['policy_ended', 'died', 'moved', 'over_income', 'aged_out', 'status_ended', 'excluded', 'no_tier', 'other'] as const;
export type StopReason = (typeof STOP_REASONS)[number];
export const STOP_REASON_LABELS: Record<StopReason, Bilingual> = {
  policy_ended: { zh: '政策已失效', en: 'policy no longer in force' },
  died: { zh: '已死亡', en: 'died' },
  moved: { zh: '已迁出', en: 'moved away' },
  over_income: { zh: '收入超标', en: 'income over the limit' },
  aged_out: { zh: '年龄不符', en: 'aged out' },
  status_ended: { zh: '身份已变更', en: 'status ended' },
  excluded: { zh: '属排除情形', en: 'excluded' },
  no_tier: { zh: '不在任何档次', en: 'in no tier' },
  other: { zh: '不再符合条件', en: 'no longer meets the conditions' },
};

export interface Explanation {
  policyCode: string;
  version: number;
  personId: string;
  date: string;
  eligible: boolean;
  receiving: boolean;
  category: Category;
  tier: { code: string; name: Bilingual; monthlyFen: number } | null;
  monthlyFen: number | null;
  /** one line: "82 岁 ≥ 80 → 第二档 200 元/月" or the first failing reason */
  summary: Bilingual;
  /** the clauses that made the person eligible (when eligible) */
  because: Reason[];
  /** the clauses that failed (never empty when not eligible) */
  failing: Reason[];
  stopReason: StopReason | null;
}

const OP_TEXT: Record<NumOp, string> = { '=': '=', '!=': '≠', '<': '<', '<=': '≤', '>': '>', '>=': '≥' };
const NEG: Record<NumOp, NumOp> = { '=': '!=', '!=': '=', '<': '>=', '<=': '>', '>': '<=', '>=': '<' };

export function holds(a: number, op: NumOp, b: number): boolean {
  switch (op) {
    case '=':
      return a === b;
    case '!=':
      return a !== b;
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    case '>':
      return a > b;
    case '>=':
      return a >= b;
  }
}

/** 112000 分 → "1,120 元"; 112050 → "1,120.50 元". */
export function yuan(fen: number): Bilingual {
  const neg = fen < 0;
  const abs = Math.abs(fen);
  const whole = Math.floor(abs / 100);
  const cents = Math.round(abs - whole * 100);
  const w = whole.toLocaleString('en-US');
  const s = (neg ? '-' : '') + (cents ? `${w}.${String(cents).padStart(2, '0')}` : w);
  return { zh: `${s} 元`, en: `¥${s}` };
}

export interface ExplainContext {
  /** benefit code → name, for "正在领取 高龄补贴" */
  benefitNames?: Record<string, Bilingual>;
}

class Explainer {
  constructor(
    private t: FactsTable,
    private refYmd: number,
    private ctx: ExplainContext,
  ) {}

  private members: Map<number, number[]> | null = null;
  /** household index → member indexes, built once per explainer */
  membersOf(): Map<number, number[]> {
    if (this.members) return this.members;
    const m = new Map<number, number[]>();
    for (let j = 0; j < this.t.n; j++) {
      const h = this.t.household[j]!;
      if (h < 0) continue;
      const l = m.get(h);
      if (l) l.push(j);
      else m.set(h, [j]);
    }
    return (this.members = m);
  }

  private benefit(code: string): Bilingual {
    return this.ctx.benefitNames?.[code] ?? { zh: code, en: code };
  }

  private alive(i: number) {
    const d = this.t.death[i]!;
    return d === 0 || d > this.refYmd;
  }

  private rel(label: Bilingual, shown: Bilingual, op: NumOp, ok: boolean, target: Bilingual): Bilingual {
    const o = OP_TEXT[ok ? op : NEG[op]];
    return { zh: `${label.zh} ${shown.zh} ${o} ${target.zh}`, en: `${label.en} ${shown.en} ${o} ${target.en}` };
  }

  private num(fact: keyof typeof NUM_FACTS, n: number): Bilingual {
    const meta = NUM_FACTS[fact];
    if (meta.money) return yuan(n);
    return { zh: `${n}${meta.unit ? ' ' + meta.unit.zh : ''}`, en: `${n}${meta.unit && meta.unit.en ? ' ' + meta.unit.en : ''}` };
  }

  /** Evaluate with reasons: ok, and the lines that decided it. */
  eval(c: Condition, i: number, path: string): { ok: boolean; lines: Reason[] } {
    const r = this.evalInner(c, i, path);
    if (c.label && r.lines.length > 0 && !('all' in c || 'any' in c)) {
      const l = c.label;
      r.lines = r.lines.map((x) => ({ ...x, zh: `${l.zh}（${x.zh}）`, en: `${l.en} (${x.en})` }));
    } else if (c.label && ('all' in c || 'any' in c)) {
      r.lines = [{ path, ok: r.ok, zh: `${r.ok ? '' : '不满足：'}${c.label.zh}`, en: `${r.ok ? '' : 'not met: '}${c.label.en}` }, ...r.lines];
    }
    return r;
  }

  private line(path: string, ok: boolean, b: Bilingual): { ok: boolean; lines: Reason[] } {
    return { ok, lines: [{ path, ok, zh: b.zh, en: b.en }] };
  }

  private evalInner(c: Condition, i: number, path: string): { ok: boolean; lines: Reason[] } {
    const t = this.t;
    if ('all' in c) {
      const rs = c.all.map((x, k) => this.eval(x, i, `${path}.all[${k}]`));
      const ok = rs.every((r) => r.ok);
      return { ok, lines: rs.filter((r) => r.ok === ok).flatMap((r) => r.lines) };
    }
    if ('any' in c) {
      const rs = c.any.map((x, k) => this.eval(x, i, `${path}.any[${k}]`));
      const first = rs.find((r) => r.ok);
      return first ? { ok: true, lines: first.lines } : { ok: false, lines: rs.flatMap((r) => r.lines) };
    }
    if ('not' in c) {
      const r = this.eval(c.not, i, `${path}.not`);
      return { ok: !r.ok, lines: r.lines.map((x) => ({ ...x, path: x.path, ok: !r.ok })) };
    }
    if ('status' in c) {
      const ok = (t.statuses[i]! & statusBit(c.status)) !== 0;
      const l = STATUS_LABELS[c.status];
      return this.line(path, ok, { zh: ok ? `是${l.zh}` : `不是${l.zh}`, en: ok ? `is ${l.en}` : `is not ${l.en}` });
    }
    if ('receiving' in c) {
      const ok = t.receiving.get(c.receiving)?.[i] === 1;
      const b = this.benefit(c.receiving);
      return this.line(path, ok, { zh: ok ? `正在领取${b.zh}` : `未领取${b.zh}`, en: ok ? `receiving ${b.en}` : `not receiving ${b.en}` });
    }
    if ('since' in c) {
      const last = t.lastReceipt.get(c.since)?.[i] ?? 0;
      const b = this.benefit(c.since);
      if (last === 0) {
        return this.line(path, c.never, { zh: `从未领取${b.zh}${c.never ? '（视为满足）' : ''}`, en: `never received ${b.en}${c.never ? ' (counts as met)' : ''}` });
      }
      const n = c.unit === 'months' ? monthsSince(last, this.refYmd) : daysSince(last, this.refYmd);
      const ok = holds(n, c.op, c.value);
      const u = c.unit === 'months' ? { zh: '个月', en: 'months' } : { zh: '天', en: 'days' };
      return this.line(
        path,
        ok,
        this.rel({ zh: `距上次领取${b.zh}（${isoOf(last)}）`, en: `since the last ${b.en} (${isoOf(last)})` }, { zh: `${n} ${u.zh}`, en: `${n} ${u.en}` }, c.op, ok, { zh: `${c.value} ${u.zh}`, en: `${c.value} ${u.en}` }),
      );
    }
    if ('spouse' in c) {
      const s = t.spouse[i]!;
      if (s < 0) return this.line(path, false, { zh: '无配偶（或配偶不在登记中）', en: 'no spouse (or spouse not in the registry)' });
      const r = this.eval(c.spouse, s, `${path}.spouse`);
      return { ok: r.ok, lines: r.lines.map((x) => ({ ...x, zh: `配偶：${x.zh}`, en: `spouse: ${x.en}` })) };
    }
    if ('householdCount' in c) {
      const h = t.household[i]!;
      let count = 0;
      const members = h < 0 ? [i] : (this.membersOf().get(h) ?? [i]);
      for (const j of members) if (this.alive(j) && t.resident[j] === 1 && this.eval(c.householdCount, j, `${path}.householdCount`).ok) count++;
      const ok = holds(count, c.op, c.value);
      const what = c.householdCount.label ?? { zh: '条件', en: 'the condition' };
      return this.line(path, ok, this.rel({ zh: `家庭中符合「${what.zh}」的成员`, en: `household members meeting "${what.en}"` }, { zh: `${count} 人`, en: `${count}` }, c.op, ok, { zh: `${c.value} 人`, en: `${c.value}` }));
    }
    switch (c.fact) {
      case 'age':
      case 'monthlyIncomeFen':
      case 'householdSize':
      case 'householdIncomeFen':
      case 'perCapitaIncomeFen':
      case 'disabilityGrade': {
        const meta = NUM_FACTS[c.fact];
        if (c.fact === 'disabilityGrade' && t.disabilityGrade[i] === 0) return this.line(path, false, { zh: '无残疾等级', en: 'no disability grade' });
        let ok: boolean;
        let shown: Bilingual;
        if (c.fact === 'perCapitaIncomeFen') {
          const inc = t.hhIncome[i]!;
          const size = t.hhSize[i]!;
          ok = holds(inc, c.op, c.value * size);
          shown = yuan(Math.round(inc / size));
          const sz = { zh: `（家庭月收入 ${yuan(inc).zh} ÷ ${size} 人）`, en: ` (${yuan(inc).en} ÷ ${size})` };
          const b = this.rel(meta, shown, c.op, ok, yuan(c.value));
          return this.line(path, ok, { zh: b.zh + sz.zh, en: b.en + sz.en });
        }
        const v = c.fact === 'age' ? ageAt(t.birth[i]!, this.refYmd) : c.fact === 'monthlyIncomeFen' ? t.income[i]! : c.fact === 'householdSize' ? t.hhSize[i]! : c.fact === 'householdIncomeFen' ? t.hhIncome[i]! : t.disabilityGrade[i]!;
        ok = holds(v, c.op, c.value);
        shown = this.num(c.fact, v);
        return this.line(path, ok, this.rel(meta, shown, c.op, ok, this.num(c.fact, c.value)));
      }
      case 'sex':
      case 'maritalStatus':
      case 'hukouType':
      case 'disabilityType': {
        const meta = ENUM_FACTS[c.fact];
        const raw = c.fact === 'disabilityType' ? t.disabilityType[i] : enumValue(c.fact, c.fact === 'sex' ? t.sex[i]! : c.fact === 'maritalStatus' ? t.marital[i]! : t.hukou[i]!);
        const lab = (v: string) => ENUM_VALUE_LABELS[v] ?? { zh: v, en: v };
        const set = { zh: c.value.map((v) => lab(v).zh).join('、'), en: c.value.map((v) => lab(v).en).join(', ') };
        if (raw === null || raw === undefined) return this.line(path, false, { zh: `${meta.zh}未登记`, en: `${meta.en} not recorded` });
        const inSet = c.value.includes(raw);
        const ok = c.op === 'in' ? inSet : !inSet;
        return this.line(path, ok, { zh: `${meta.zh}：${lab(raw).zh} ${inSet ? '∈' : '∉'} {${set.zh}}`, en: `${meta.en}: ${lab(raw).en} ${inSet ? '∈' : '∉'} {${set.en}}` });
      }
      default: {
        const meta = BOOL_FACTS[c.fact];
        const v = c.fact === 'alive' ? this.alive(i) : c.fact === 'resident' ? t.resident[i] === 1 : c.fact === 'hasDisability' ? t.disabilityGrade[i] !== 0 : c.fact === 'isHouseholdHead' ? t.isHead[i] === 1 : t.spouseId[i] !== null;
        const ok = v === c.value;
        return this.line(path, ok, { zh: v ? meta.zh : `非${meta.zh}`, en: v ? meta.en : `not ${meta.en}` });
      }
    }
  }
}

function enumValue(fact: 'sex' | 'maritalStatus' | 'hukouType', code: number): string | null {
  const lists = { sex: ['M', 'F'], maritalStatus: ['single', 'married', 'divorced', 'widowed'], hukouType: ['local', 'city', 'outside'] };
  return code === 0 ? null : (lists[fact][code - 1] ?? null);
}

const INCOME_FACTS = new Set(['monthlyIncomeFen', 'householdIncomeFen', 'perCapitaIncomeFen']);

/** Which fact a failing path points at, for the stop reason. */
function factAt(p: Policy, path: string): Condition | null {
  const parts = path.match(/[a-zA-Z]+|\[\d+\]/g) ?? [];
  let cur: unknown = p;
  for (const part of parts) {
    if (cur === null || typeof cur !== 'object') return null;
    cur = part.startsWith('[') ? (cur as unknown[])[Number(part.slice(1, -1))] : (cur as Record<string, unknown>)[part];
  }
  return (cur ?? null) as Condition | null;
}

function stopReasonOf(p: Policy, failing: Reason[]): StopReason {
  const order: StopReason[] = [];
  for (const r of failing) {
    if (r.path === '$inForce') order.push('policy_ended');
    else if (r.path === '$alive') order.push('died');
    else if (r.path === '$resident') order.push('moved');
    else if (r.path.startsWith('exclusions')) order.push('excluded');
    else if (r.path === '$tiers') order.push('no_tier');
    else {
      const c = factAt(p, r.path);
      if (c && 'fact' in c && INCOME_FACTS.has(c.fact)) order.push('over_income');
      else if (c && 'fact' in c && c.fact === 'age') order.push('aged_out');
      else if (c && 'status' in c) order.push('status_ended');
      else if (r.path.startsWith('tiers')) order.push('no_tier');
      else order.push('other');
    }
  }
  for (const s of STOP_REASONS) if (order.includes(s)) return s;
  return 'other';
}

/** Explain one policy for person i of the table. */
/** An explainer for many persons of one table (household lookups are built once). */
export function explainer(t: FactsTable, ctx: ExplainContext = {}): (p: Policy, i: number) => Explanation {
  const ex = new Explainer(t, ymdOf(t.refDate), ctx);
  return (p, i) => explainWith(ex, p, t, i);
}

/** Explain one policy for person i of the table. */
export function explain(p: Policy, t: FactsTable, i: number, ctx: ExplainContext = {}): Explanation {
  return explainWith(new Explainer(t, ymdOf(t.refDate), ctx), p, t, i);
}

function explainWith(ex: Explainer, p: Policy, t: FactsTable, i: number): Explanation {
  const refYmd = ymdOf(t.refDate);
  const receiving = t.receiving.get(p.benefitCode)?.[i] === 1;
  const because: Reason[] = [];
  const failing: Reason[] = [];
  const d = t.death[i]!;
  if (!inForce(p, t.refDate)) {
    failing.push({ path: '$inForce', ok: false, zh: `政策有效期 ${p.effectiveFrom} 至 ${p.effectiveTo ?? '长期'}，不含 ${t.refDate}`, en: `policy in force ${p.effectiveFrom} to ${p.effectiveTo ?? 'open'}, not on ${t.refDate}` });
  }
  if (d !== 0 && d <= refYmd) failing.push({ path: '$alive', ok: false, zh: `已于 ${isoOf(d)} 死亡`, en: `died on ${isoOf(d)}` });
  if (t.resident[i] !== 1) failing.push({ path: '$resident', ok: false, zh: '已迁出本区', en: 'moved out of the district' });
  const e = ex.eval(p.eligibility, i, 'eligibility');
  (e.ok ? because : failing).push(...e.lines);
  p.exclusions.forEach((x, k) => {
    const r = ex.eval(x, i, `exclusions[${k}]`);
    if (r.ok) failing.push(...r.lines.map((l) => ({ ...l, ok: false, zh: `排除情形：${l.zh}`, en: `excluded: ${l.en}` })));
  });
  let tier: Explanation['tier'] = null;
  let tierLines: Reason[] = [];
  if (p.tiers.length > 0) {
    const tierFails: Reason[] = [];
    for (let k = 0; k < p.tiers.length; k++) {
      const tr = ex.eval(p.tiers[k]!.when, i, `tiers[${k}].when`);
      if (tr.ok) {
        const tt = p.tiers[k]!;
        const inc = t.hhIncome[i]!;
        const size = t.hhSize[i]!;
        tier = { code: tt.code, name: tt.name, monthlyFen: tierAmountFen(tt, inc, size) };
        tierLines = tr.lines;
        if (tt.topUp) {
          const gap = Math.round(tt.topUp.toFen - inc / Math.max(1, size));
          const floor = gap < tt.topUp.minFen ? { zh: `，不足最低发放额按 ${yuan(tt.topUp.minFen).zh}`, en: `, raised to the minimum ${yuan(tt.topUp.minFen).en}` } : { zh: '', en: '' };
          tierLines = [
            ...tierLines,
            {
              path: `tiers[${k}].topUp`,
              ok: true,
              zh: `补差：标准 ${yuan(tt.topUp.toFen).zh} − 人均收入 ${yuan(Math.round(inc / Math.max(1, size))).zh} = ${yuan(Math.max(0, gap)).zh}${floor.zh}`,
              en: `top-up: standard ${yuan(tt.topUp.toFen).en} − per-capita income ${yuan(Math.round(inc / Math.max(1, size))).en} = ${yuan(Math.max(0, gap)).en}${floor.en}`,
            },
          ];
        }
        break;
      }
      tierFails.push(...tr.lines);
    }
    if (!tier) failing.push({ path: '$tiers', ok: false, zh: `不在任何档次：${tierFails.map((x) => x.zh).join('；')}`, en: `in no tier: ${tierFails.map((x) => x.en).join('; ')}` });
  }
  const eligible = failing.length === 0;
  const monthlyFen = eligible ? (tier ? tier.monthlyFen : p.monthlyFen) : null;
  let summary: Bilingual;
  if (eligible) {
    const basis = (tierLines.length > 0 ? tierLines : because).filter((x) => x.ok);
    const head = { zh: basis.map((x) => x.zh).join('，'), en: basis.map((x) => x.en).join(', ') };
    const what = tier
      ? { zh: `${tier.name.zh} ${yuan(tier.monthlyFen).zh}/月`, en: `${tier.name.en} ${yuan(tier.monthlyFen).en}/month` }
      : p.monthlyFen !== null
        ? { zh: `${yuan(p.monthlyFen).zh}/月`, en: `${yuan(p.monthlyFen).en}/month` }
        : p.inKind
          ? p.inKind
          : { zh: '符合', en: 'eligible' };
    summary = { zh: `${head.zh} → ${what.zh}`, en: `${head.en} → ${what.en}` };
    because.push(...tierLines);
  } else {
    summary = { zh: `不符合：${failing[0]!.zh}`, en: `not eligible: ${failing[0]!.en}` };
  }
  return {
    policyCode: p.code,
    version: p.version,
    personId: t.personId[i]!,
    date: t.refDate,
    eligible,
    receiving,
    category: categoryOf(eligible, receiving),
    tier,
    monthlyFen,
    summary,
    because: eligible ? because : [],
    failing,
    stopReason: !eligible && receiving ? stopReasonOf(p, failing) : null,
  };
}
