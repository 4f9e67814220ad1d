/**
 * Monthly payment cycles: prepare (entitlements computed from the registry on the 1st of the
 * month), review, approve — the approver is never the preparer — and then frozen: the database
 * rejects any change to an approved cycle or its entitlements, so later registry changes cannot
 * reach it. Diffs between cycles, the publicity list (公示, names masked), the payment batch as
 * Excel, totals by policy, street and month.
 */
import { randomUUID } from 'node:crypto';
import ExcelJS from 'exceljs';
import { AppError, conflict, invalid, notFound } from '../../shared/errors';
import { actorId, assertCan, scopeOf, type AnyActor } from '../../shared/authz';
import { recordAudit } from '../audit';
import { factsAt, maskName } from '../residents';
import * as repo from './repo';
import type { BenefitsDeps } from './service';
import { benefitNames } from './service';
import { compilePolicy } from './core/compile';
import { explainer } from './core/explain';
import { tableOf } from './core/table';
import { cycleRefDate, diffCycles, isMonth, type Entitlement, type Removal } from './core/cycles';
import type { Policy } from './core/rules';

const CYCLE = { zh: '发放批次', en: 'Payment cycle' };

const streetOf = (areaPath: string): string | null => areaPath.split('/').filter(Boolean)[1] ?? null;

function cycleView(c: repo.CycleRow) {
  return {
    id: c.id,
    policy: c.policy_code,
    policyVersion: c.policy_version,
    month: c.month,
    refDate: c.ref_date,
    status: c.status,
    frozen: c.status === 'approved',
    persons: c.persons,
    totalFen: Number(c.total_fen),
    preparedBy: c.prepared_by,
    preparedAt: new Date(c.prepared_at).toISOString(),
    reviewedBy: c.reviewed_by,
    reviewedAt: c.reviewed_at ? new Date(c.reviewed_at).toISOString() : null,
    approvedBy: c.approved_by,
    approvedAt: c.approved_at ? new Date(c.approved_at).toISOString() : null,
    removed: c.removed,
  };
}
export type CycleView = ReturnType<typeof cycleView>;

const toEnt = (e: repo.EntitlementRow): Entitlement => ({ personId: e.person_id, nameMasked: e.name_masked, streetCode: e.street_code, tierCode: e.tier_code, amountFen: Number(e.amount_fen), summary: { zh: e.summary_zh, en: e.summary_en } });

/**
 * Prepare (or re-prepare, while still a draft or reviewed) the cycle of a monthly policy:
 * everyone eligible and receiving on the 1st of the month, with the amount of their tier.
 */
export async function prepareCycle(deps: BenefitsDeps, actor: AnyActor, input: { policy: string; month: string }) {
  assertCan(actor, 'benefits.configure');
  if (!isMonth(input.month)) throw invalid({ zh: '月份应为 YYYY-MM', en: 'the month must be YYYY-MM' });
  const scope = `/${actor.districtCode}/`;
  assertCan(actor, 'benefits.configure', scope);
  const [row] = await repo.latestPolicies(deps.db, actor.districtCode, input.policy);
  if (!row) throw notFound({ zh: '政策', en: 'Policy' });
  const policy: Policy = row.rule;
  if (policy.kind !== 'monthly') throw invalid({ zh: '只有按月发放的待遇才有发放批次', en: 'only monthly allowances have payment cycles' });
  const refDate = cycleRefDate(input.month);
  const facts = await factsAt(deps.db, actor.districtCode, refDate, scope);
  const t = tableOf(refDate, facts, facts.length + 1);
  const c = compilePolicy(policy, t);
  const why = explainer(t, { benefitNames: benefitNames([policy]) });
  const chosen: number[] = [];
  for (let i = 0; i < t.n; i++) if (c.verdict(i) >= 0 && c.receiving(i)) chosen.push(i);
  const ids = chosen.map((i) => t.personId[i]!);
  const names = deps.people ? await deps.people(deps.db, actor.districtCode, ids) : new Map<string, { name: string }>();
  const label = (id: string) => {
    const n = names.get(id)?.name;
    // Without the registry's names (NOTES-benefits.md) the list shows a shortened id.
    return n ? maskName(n) : `#${id.slice(0, 8)}`;
  };
  const ents: repo.EntitlementRow[] = chosen.map((i) => {
    const e = why(policy, i);
    return {
      person_id: t.personId[i]!,
      household_id: t.household[i]! >= 0 ? t.householdIds[t.household[i]!]! : null,
      area_path: t.areaPath[i]!,
      street_code: streetOf(t.areaPath[i]!),
      name_masked: label(t.personId[i]!),
      tier_code: e.tier?.code ?? null,
      amount_fen: e.monthlyFen ?? 0,
      summary_zh: e.summary.zh,
      summary_en: e.summary.en,
    };
  });
  return deps.db.transaction(async (tx) => {
    const existing = await repo.findCycle(tx, actor.districtCode, policy.code, input.month);
    if (existing?.status === 'approved') throw conflict({ zh: '该月批次已审批冻结，不能重算', en: 'this month is approved and frozen; it cannot be recomputed' });
    if (existing) await repo.deleteDraftCycle(tx, existing.id);
    // who left since the previous cycle, and why — explained now and frozen with this cycle
    const prev = await repo.previousCycle(tx, actor.districtCode, policy.code, input.month);
    const removed: Removal[] = [];
    if (prev) {
      const now = new Set(ids);
      for (const e of await repo.listEntitlements(tx, actor.districtCode, prev.id, scope)) {
        if (now.has(e.person_id)) continue;
        const i = t.index.get(e.person_id);
        if (i === undefined) {
          removed.push({ personId: e.person_id, nameMasked: e.name_masked, amountFen: Number(e.amount_fen), reason: { zh: '已不在登记中（迁出或注销）', en: 'no longer in the registry (moved or removed)' }, stopReason: 'moved' });
          continue;
        }
        const x = why(policy, i);
        const reason = x.eligible ? { zh: `符合条件但已停止领取：${x.summary.zh}`, en: `eligible but no longer receiving: ${x.summary.en}` } : x.summary;
        removed.push({ personId: e.person_id, nameMasked: e.name_masked, amountFen: Number(e.amount_fen), reason, stopReason: x.stopReason ?? (x.eligible ? 'stopped_receiving' : null) });
      }
    }
    const id = randomUUID();
    const totalFen = ents.reduce((s, e) => s + e.amount_fen, 0);
    await repo.insertCycle(tx, { id, districtCode: actor.districtCode, policyCode: policy.code, policyVersion: policy.version, month: input.month, refDate, persons: ents.length, totalFen, by: actorId(actor), at: deps.clock(), removed }, ents);
    await recordAudit(tx, deps.clock, actor, { action: 'benefits.cycle.prepare', targetType: 'benefit_cycle', targetId: id, detail: { policy: policy.code, month: input.month, persons: ents.length, totalFen } });
    return cycleView((await repo.getCycle(tx, actor.districtCode, id))!);
  });
}

export async function reviewCycle(deps: BenefitsDeps, actor: AnyActor, id: string) {
  assertCan(actor, 'benefits.approve');
  return deps.db.transaction(async (tx) => {
    const c = await repo.getCycle(tx, actor.districtCode, id, true);
    if (!c) throw notFound(CYCLE);
    if (c.status !== 'draft') throw conflict({ zh: `批次状态为 ${c.status}，只有草稿可以审核`, en: `the cycle is ${c.status}; only a draft can be reviewed` });
    await repo.setCycleReviewed(tx, id, actorId(actor), deps.clock());
    await recordAudit(tx, deps.clock, actor, { action: 'benefits.cycle.review', targetType: 'benefit_cycle', targetId: id });
    return cycleView((await repo.getCycle(tx, actor.districtCode, id))!);
  });
}

/** Approve and freeze. Two-person rule: the approver is not the one who prepared it. */
export async function approveCycle(deps: BenefitsDeps, actor: AnyActor, id: string) {
  assertCan(actor, 'benefits.approve');
  return deps.db.transaction(async (tx) => {
    const c = await repo.getCycle(tx, actor.districtCode, id, true);
    if (!c) throw notFound(CYCLE);
    if (c.status !== 'reviewed') throw conflict({ zh: `批次状态为 ${c.status}，须先审核再审批`, en: `the cycle is ${c.status}; it must be reviewed before approval` });
    const me = actorId(actor);
    if (me === null || me === c.prepared_by) throw new AppError('forbidden', { zh: '双人审批：编制人不能审批自己的批次', en: 'Two-person rule: the preparer cannot approve their own cycle' });
    await repo.setCycleApproved(tx, id, me, deps.clock());
    await recordAudit(tx, deps.clock, actor, { action: 'benefits.cycle.approve', targetType: 'benefit_cycle', targetId: id, detail: { persons: c.persons, totalFen: Number(c.total_fen) } });
    return cycleView((await repo.getCycle(tx, actor.districtCode, id))!);
  });
}

export async function listCycles(deps: BenefitsDeps, actor: AnyActor, policy?: string) {
  assertCan(actor, 'benefits.read');
  return (await repo.listCycles(deps.db, actor.districtCode, policy ?? null)).map(cycleView);
}

export async function getCycle(deps: BenefitsDeps, actor: AnyActor, id: string) {
  assertCan(actor, 'benefits.read');
  const c = await repo.getCycle(deps.db, actor.districtCode, id);
  if (!c) throw notFound(CYCLE);
  const ents = await repo.listEntitlements(deps.db, actor.districtCode, id, scopeOf(actor));
  await deps.db.transaction((tx) => recordAudit(tx, deps.clock, actor, { action: 'benefits.cycle.read', targetType: 'benefit_cycle', targetId: id, detail: { n: ents.length } }));
  return { cycle: cycleView(c), entitlements: ents.map(toEnt) };
}

/** The diff from cycle a to cycle b (same policy): added, removed (with the frozen reasons), changed. */
export async function diff(deps: BenefitsDeps, actor: AnyActor, fromId: string, toId: string) {
  assertCan(actor, 'benefits.read');
  const a = await repo.getCycle(deps.db, actor.districtCode, fromId);
  const b = await repo.getCycle(deps.db, actor.districtCode, toId);
  if (!a || !b) throw notFound(CYCLE);
  if (a.policy_code !== b.policy_code) throw invalid({ zh: '只能比较同一政策的两个批次', en: 'compare two cycles of the same policy' });
  const scope = scopeOf(actor);
  const ea = (await repo.listEntitlements(deps.db, actor.districtCode, fromId, scope)).map(toEnt);
  const eb = (await repo.listEntitlements(deps.db, actor.districtCode, toId, scope)).map(toEnt);
  return { from: cycleView(a), to: cycleView(b), diff: diffCycles(ea, eb, b.removed) };
}

/** 公示 list: masked names, street, tier and amount — nothing else. */
export async function publicity(deps: BenefitsDeps, actor: AnyActor, id: string) {
  assertCan(actor, 'benefits.read');
  const c = await repo.getCycle(deps.db, actor.districtCode, id);
  if (!c) throw notFound(CYCLE);
  if (c.status !== 'approved') throw conflict({ zh: '批次审批后才能公示', en: 'a cycle is published only after approval' });
  const ents = await repo.listEntitlements(deps.db, actor.districtCode, id, scopeOf(actor));
  return { cycle: cycleView(c), items: ents.map((e) => ({ name: e.name_masked, street: e.street_code, tier: e.tier_code, amountFen: Number(e.amount_fen) })) };
}

/** The payment batch of an approved cycle as an Excel workbook. Audited. */
export async function exportBatch(deps: BenefitsDeps, actor: AnyActor, id: string): Promise<{ fileName: string; buffer: Buffer }> {
  assertCan(actor, 'benefits.approve');
  const c = await repo.getCycle(deps.db, actor.districtCode, id);
  if (!c) throw notFound(CYCLE);
  if (c.status !== 'approved') throw conflict({ zh: '只有已审批的批次可以导出发放', en: 'only an approved cycle can be exported for payment' });
  const ents = await repo.listEntitlements(deps.db, actor.districtCode, id, scopeOf(actor));
  const wb = new ExcelJS.Workbook();
  wb.creator = 'minsheng';
  const ws = wb.addWorksheet(`${c.policy_code} ${c.month}`);
  ws.columns = [
    { header: '序号 No.', key: 'no', width: 8 },
    { header: '居民编号 Person id', key: 'pid', width: 40 },
    { header: '姓名 Name', key: 'name', width: 12 },
    { header: '街道 Street', key: 'street', width: 14 },
    { header: '档次 Tier', key: 'tier', width: 12 },
    { header: '金额（元）Amount (¥)', key: 'amount', width: 16 },
    { header: '依据 Basis', key: 'basis', width: 60 },
  ];
  ents.forEach((e, k) => ws.addRow({ no: k + 1, pid: e.person_id, name: e.name_masked, street: e.street_code, tier: e.tier_code, amount: Number(e.amount_fen) / 100, basis: e.summary_zh }));
  const total = ents.reduce((s, e) => s + Number(e.amount_fen), 0);
  ws.addRow({});
  ws.addRow({ name: '合计 Total', amount: total / 100, basis: `${ents.length} 人；批次 ${c.id}；审批 ${c.approved_by ?? ''} ${c.approved_at ? new Date(c.approved_at).toISOString() : ''}` });
  ws.getRow(1).font = { bold: true };
  ws.getColumn('amount').numFmt = '#,##0.00';
  const buffer = Buffer.from(await wb.xlsx.writeBuffer());
  await deps.db.transaction((tx) => recordAudit(tx, deps.clock, actor, { action: 'benefits.cycle.export', targetType: 'benefit_cycle', targetId: id, detail: { persons: ents.length, totalFen: total } }));
  return { fileName: `benefits-${c.policy_code}-${c.month}.xlsx`, buffer };
}

/** Totals of approved cycles by policy, street and month (e.g. "发放高龄补贴1300余万元"). */
export async function totals(deps: BenefitsDeps, actor: AnyActor, fromMonth: string, toMonth: string) {
  assertCan(actor, 'benefits.read');
  if (!isMonth(fromMonth) || !isMonth(toMonth)) throw invalid({ zh: '月份应为 YYYY-MM', en: 'months must be YYYY-MM' });
  const rows = await repo.paymentTotals(deps.db, actor.districtCode, scopeOf(actor), fromMonth, toMonth);
  const items = rows.map((r) => ({ policy: r.policy_code, street: r.street_code, month: r.month, persons: Number(r.persons), totalFen: Number(r.total_fen) }));
  const byPolicy: Record<string, number> = {};
  for (const r of items) byPolicy[r.policy] = (byPolicy[r.policy] ?? 0) + r.totalFen;
  return { from: fromMonth, to: toMonth, items, byPolicy, totalFen: items.reduce((s, r) => s + r.totalFen, 0) };
}
