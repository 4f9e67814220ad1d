/**
 * Checks on what people type, pure: impossible targets, impossible reported values, reports
 * dated in the future or on closed items, evidence files of the wrong type or size. Each
 * problem is a message in Chinese and English naming the field, so the whole list can be
 * shown at once and nothing is saved while any remains.
 */
import type { Day, TargetKind } from './derive';

export interface Problem {
  field: string;
  zh: string;
  en: string;
}

export interface TargetDraft {
  metric: string;
  unit: string;
  kind: TargetKind;
  baseline: number;
  target: number;
  weight?: number;
}

function valueProblems(kind: TargetKind, value: number, field: string, label: { zh: string; en: string }): Problem[] {
  const out: Problem[] = [];
  if (!Number.isFinite(value)) return [{ field, zh: `${label.zh}不是有效数字`, en: `${label.en} is not a number` }];
  if (value < 0) out.push({ field, zh: `${label.zh}不能为负数`, en: `${label.en} cannot be negative` });
  if (kind === 'count' && !Number.isInteger(value)) out.push({ field, zh: `${label.zh}是计数，必须为整数`, en: `${label.en} is a count and must be a whole number` });
  if (kind === 'percent' && value > 100) out.push({ field, zh: `${label.zh}是百分比，不能超过 100`, en: `${label.en} is a percentage and cannot exceed 100` });
  if (Math.abs(value) > 1e12) out.push({ field, zh: `${label.zh}过大`, en: `${label.en} is too large` });
  return out;
}

export function targetProblems(t: TargetDraft, prefix = 'target'): Problem[] {
  const out: Problem[] = [];
  out.push(...valueProblems(t.kind, t.baseline, `${prefix}.baseline`, { zh: '基数', en: 'The baseline' }));
  out.push(...valueProblems(t.kind, t.target, `${prefix}.target`, { zh: '目标值', en: 'The target' }));
  if (t.target === t.baseline) out.push({ field: `${prefix}.target`, zh: '目标值与基数相同，无法衡量进度', en: 'The target equals the baseline: nothing to measure' });
  if (t.weight !== undefined && !(t.weight > 0 && t.weight <= 1000)) out.push({ field: `${prefix}.weight`, zh: '权重须大于 0 且不超过 1000', en: 'The weight must be above 0 and at most 1000' });
  return out;
}

export interface ItemDraft {
  plannedStart: Day;
  plannedEnd: Day;
  budgetFen: number;
  rule: 'targets' | 'children' | 'stage';
  targets: readonly TargetDraft[];
  year: number;
}

export function itemProblems(i: ItemDraft): Problem[] {
  const out: Problem[] = [];
  if (i.plannedEnd < i.plannedStart) out.push({ field: 'plannedEnd', zh: '计划完成日期早于计划开始日期', en: 'The planned end is before the planned start' });
  if (!Number.isSafeInteger(i.budgetFen) || i.budgetFen < 0) out.push({ field: 'budgetFen', zh: '预算须为非负整数（单位：分）', en: 'The budget must be a non-negative whole number of fen' });
  if (i.rule === 'targets' && i.targets.length === 0) out.push({ field: 'targets', zh: '按目标计算进度的事项至少需要一个目标', en: 'An item measured by its targets needs at least one target' });
  if (Number(i.plannedStart.slice(0, 4)) > i.year + 1 || Number(i.plannedEnd.slice(0, 4)) < i.year) {
    out.push({ field: 'plannedEnd', zh: `计划期与 ${i.year} 年度不相交`, en: `The planned period does not touch the year ${i.year}` });
  }
  const seen = new Set<string>();
  i.targets.forEach((t, k) => {
    out.push(...targetProblems(t, `targets.${k}`));
    const key = `${t.metric}|${t.unit}`;
    if (seen.has(key)) out.push({ field: `targets.${k}.metric`, zh: `目标“${t.metric}”重复`, en: `Target "${t.metric}" appears twice` });
    seen.add(key);
  });
  return out;
}

export interface ReportDraft {
  asOf: Day;
  values: readonly { targetId: string; value: number }[];
  milestones: readonly { milestoneId: string; achievedOn: Day }[];
  stage: string | null;
}

/** A report may be refused for the item's state, its date or its values. `today` is Asia/Shanghai. */
export function reportProblems(
  r: ReportDraft,
  ctx: {
    today: Day;
    closedOn: Day | null;
    rule: 'targets' | 'children' | 'stage';
    plannedStart: Day;
    targets: readonly { id: string; kind: TargetKind }[];
    milestones: readonly { id: string }[];
  },
): Problem[] {
  const out: Problem[] = [];
  if (ctx.closedOn !== null) out.push({ field: 'item', zh: `该事项已于 ${ctx.closedOn} 关闭，不能再报告进度`, en: `This item was closed on ${ctx.closedOn}; no more reports` });
  if (r.asOf > ctx.today) out.push({ field: 'asOf', zh: `报告日期 ${r.asOf} 晚于今天（${ctx.today}）`, en: `The report date ${r.asOf} is in the future (today is ${ctx.today})` });
  if (r.asOf < `${Number(ctx.plannedStart.slice(0, 4)) - 1}${ctx.plannedStart.slice(4)}`) {
    out.push({ field: 'asOf', zh: '报告日期早于计划开始一年以上', en: 'The report date is more than a year before the planned start' });
  }
  if (ctx.rule === 'children') out.push({ field: 'item', zh: '该事项的进度由子项汇总，请对子项报告', en: 'This item rolls up its sub-items; report on a sub-item' });
  if (r.values.length === 0 && r.milestones.length === 0 && r.stage === null) {
    out.push({ field: 'values', zh: '请至少填写一个目标的当前值、一个节点或一个阶段', en: 'Give at least one target value, milestone or stage' });
  }
  if (r.stage !== null && ctx.rule !== 'stage') out.push({ field: 'stage', zh: '该事项按目标计算进度，不报告阶段', en: 'This item is measured by its targets, not by a stage' });
  const kinds = new Map(ctx.targets.map((t) => [t.id, t.kind]));
  const seen = new Set<string>();
  r.values.forEach((v, k) => {
    const kind = kinds.get(v.targetId);
    if (!kind) out.push({ field: `values.${k}.targetId`, zh: '目标不属于该事项', en: 'The target does not belong to this item' });
    else out.push(...valueProblems(kind, v.value, `values.${k}.value`, { zh: '当前值', en: 'The value' }));
    if (seen.has(v.targetId)) out.push({ field: `values.${k}.targetId`, zh: '同一目标填写了两次', en: 'The same target is given twice' });
    seen.add(v.targetId);
  });
  const ms = new Set(ctx.milestones.map((m) => m.id));
  r.milestones.forEach((m, k) => {
    if (!ms.has(m.milestoneId)) out.push({ field: `milestones.${k}.milestoneId`, zh: '节点不属于该事项', en: 'The milestone does not belong to this item' });
    if (m.achievedOn > r.asOf) out.push({ field: `milestones.${k}.achievedOn`, zh: '节点完成日期晚于报告日期', en: 'The milestone date is after the report date' });
  });
  return out;
}

// ---- evidence files ------------------------------------------------------------------------------

export const MAX_EVIDENCE_BYTES = 5 * 1024 * 1024;
export const MAX_EVIDENCE_PDF_BYTES = 10 * 1024 * 1024;
export const MAX_EVIDENCE_FILES = 9;
export type EvidenceType = 'image/jpeg' | 'image/png' | 'image/webp' | 'application/pdf';

/** The type read from the bytes, never from the name: JPEG, PNG, WebP photos and PDF documents. */
export function sniffEvidence(bytes: Uint8Array): EvidenceType | null {
  const b = (i: number) => bytes[i];
  if (bytes.length >= 3 && b(0) === 0xff && b(1) === 0xd8 && b(2) === 0xff) return 'image/jpeg';
  if (bytes.length >= 8 && [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a].every((v, i) => b(i) === v)) return 'image/png';
  if (bytes.length >= 12 && String.fromCharCode(...bytes.subarray(0, 4)) === 'RIFF' && String.fromCharCode(...bytes.subarray(8, 12)) === 'WEBP') return 'image/webp';
  if (bytes.length >= 5 && String.fromCharCode(...bytes.subarray(0, 5)) === '%PDF-') return 'application/pdf';
  return null;
}

export function evidenceProblems(files: readonly { fileName: string; bytes: Uint8Array }[]): { problems: Problem[]; types: (EvidenceType | null)[] } {
  const problems: Problem[] = [];
  if (files.length > MAX_EVIDENCE_FILES) problems.push({ field: 'files', zh: `每次最多上传 ${MAX_EVIDENCE_FILES} 个文件`, en: `At most ${MAX_EVIDENCE_FILES} files per report` });
  const types = files.map((f, k) => {
    const type = sniffEvidence(f.bytes);
    const name = f.fileName.slice(0, 60);
    if (f.bytes.length === 0) problems.push({ field: `files.${k}`, zh: `文件“${name}”是空的`, en: `File "${name}" is empty` });
    else if (!type) problems.push({ field: `files.${k}`, zh: `文件“${name}”不是 JPEG、PNG、WebP 图片或 PDF 文档`, en: `File "${name}" is not a JPEG, PNG or WebP photo or a PDF` });
    else {
      const max = type === 'application/pdf' ? MAX_EVIDENCE_PDF_BYTES : MAX_EVIDENCE_BYTES;
      if (f.bytes.length > max) problems.push({ field: `files.${k}`, zh: `文件“${name}”超过 ${max / 1024 / 1024} MB`, en: `File "${name}" is larger than ${max / 1024 / 1024} MB` });
    }
    return type;
  });
  return { problems, types };
}

/** A file name safe to show and to send in a header: no paths, no control characters. */
export function safeEvidenceName(name: string, type: EvidenceType): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  const clean = [...base]
    .filter((ch) => ch.charCodeAt(0) >= 0x20 && ch.charCodeAt(0) !== 0x7f && !'"<>|:*?'.includes(ch))
    .join('')
    .trim()
    .slice(0, 80);
  const ext = { 'image/jpeg': '.jpg', 'image/png': '.png', 'image/webp': '.webp', 'application/pdf': '.pdf' }[type];
  return (clean.replace(/\.[A-Za-z0-9]{1,5}$/, '') || 'evidence') + ext;
}
