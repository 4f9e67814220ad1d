/**
 * `minsheng projects …`: 民生实事 — the summary at any date (text, JSON, Excel, PDF) and the
 * items-and-targets workbook out and in (docs/PROJECTS-TEMPLATE.md). The same use cases the web
 * app calls, acting as the system.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { InvalidArgumentError, type Command } from 'commander';
import { STATUSES, STATUS_NAMES, exportItems, importItems, projectsService, summaryPdf, summaryWorkbook } from '../../domain/projects';
import { leaf, run, type CliContext, type JsonOption } from '../context';
import { CliError, EXIT } from '../errors';
import { table, type CommandOutcome } from '../output';
import { progressBar } from '../progress';

function year(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 2000 || n > 2100) throw new InvalidArgumentError('年度应为 2000–2100 的整数 / a year is 2000–2100');
  return n;
}
function day(value: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || !new Date(`${value}T00:00:00Z`).toISOString().startsWith(value)) {
    throw new InvalidArgumentError('日期应为 YYYY-MM-DD 的真实日期（北京时间）/ a date is YYYY-MM-DD, a real calendar day (Asia/Shanghai)');
  }
  return value;
}

export function projectsCommands(program: Command, ctx: CliContext): Command {
  const projects = program.command('projects').description('民生实事 / livelihood projects (the year’s public commitments)');
  leaf(projects, 'summary', '进度汇总：N 项已完成、M 项有序推进、K 项滞后，逾期节点 / the summary at a date')
    .requiredOption('--year <yyyy>', '年度 / the programme year', year)
    .option('--date <date>', '截至日期（默认今天）/ as of this day (default today)', day)
    .option('--xlsx <file>', '另存为 Excel / also write an Excel workbook')
    .option('--pdf <file>', '另存为 PDF / also write a PDF')
    .addHelpText('after', '\n例 / e.g.: minsheng projects summary --year 2026 --date 2026-11-15 --json\n')
    .action(run(ctx, (opts: SummaryOptions) => summary(ctx, opts)));
  leaf(projects, 'export', '导出事项与目标（即导入模板）/ export items and targets (the import template)')
    .requiredOption('--year <yyyy>', '年度 / the programme year', year)
    .requiredOption('--out <file>', '输出文件 / the .xlsx to write')
    .action(run(ctx, (opts: { year: number; out: string } & JsonOption) => exportCmd(ctx, opts)));
  leaf(projects, 'import', '导入事项与目标：全部成功或全部不导入，逐行报告问题 / import items and targets, all or nothing, with a per-row report')
    .argument('<file>', 'Excel 文件 / the .xlsx')
    .requiredOption('--year <yyyy>', '年度 / the programme year', year)
    .option('--dry-run', '只检查不保存 / check only, save nothing')
    .action(run(ctx, (file: string, opts: { year: number; dryRun?: boolean } & JsonOption) => importCmd(ctx, file, opts)));
  return projects;
}

interface SummaryOptions extends JsonOption {
  year: number;
  date?: string;
  xlsx?: string;
  pdf?: string;
}

async function summary(ctx: CliContext, opts: SummaryOptions): Promise<CommandOutcome> {
  const { deps } = await ctx.session.open();
  const s = await projectsService.summary(deps, ctx.session.actor(), opts.year, opts.date);
  const files: string[] = [];
  if (opts.xlsx) {
    await writeFile(opts.xlsx, await summaryWorkbook(s));
    files.push(opts.xlsx);
  }
  if (opts.pdf) {
    await writeFile(opts.pdf, await summaryPdf(s));
    files.push(opts.pdf);
  }
  const text = [
    `${s.year} ${s.title} — 截至 as of ${s.date}${s.isDemo ? '（演示数据 demo）' : ''}`,
    `  ${s.headline.zh}`,
    `  ${s.headline.en}`,
    `  总体进度 overall: ${s.progress.toFixed(1)}%`,
    table(
      ['类别 category', '件', '项', '进度 progress', ...STATUSES.map((x) => STATUS_NAMES[x].zh)],
      s.categories.map((c) => [c.name, String(c.items), String(c.subItems), `${c.progress.toFixed(1)}%`, ...STATUSES.map((x) => String(c.byStatus[x]))]),
    ),
    s.overdueMilestones.length
      ? `  逾期节点 overdue milestones (${s.overdueMilestones.length}):\n${table(['事项 item', '节点 milestone', '计划 planned', '逾期 days', '责任部门 owner'], s.overdueMilestones.map((m) => [`${m.itemCode} ${m.itemTitle}`, m.milestone, m.plannedOn, String(m.overdueDays), m.owner.name]))}`
      : '  没有逾期节点 / no overdue milestones',
    ...files.map((f) => `  已写入 written: ${f}`),
  ].join('\n');
  return { data: { ...s, files }, text };
}

async function exportCmd(ctx: CliContext, opts: { year: number; out: string } & JsonOption): Promise<CommandOutcome> {
  const { deps } = await ctx.session.open();
  const buf = await exportItems(deps, ctx.session.actor(), opts.year);
  await writeFile(opts.out, buf);
  return { data: { file: opts.out, bytes: buf.length }, text: `已导出 exported: ${opts.out} (${buf.length} bytes)` };
}

async function importCmd(ctx: CliContext, file: string, opts: { year: number; dryRun?: boolean } & JsonOption): Promise<CommandOutcome> {
  let buf: Buffer;
  try {
    buf = await readFile(file);
  } catch {
    throw new CliError('usage', { zh: `无法读取文件 ${file}`, en: `Cannot read ${file}` }, undefined, EXIT.usage);
  }
  const { deps } = await ctx.session.open();
  const bar = progressBar('导入 importing', !ctx.json);
  bar.update(0, 1);
  try {
    const r = await importItems(deps, ctx.session.actor(), opts.year, buf, { dryRun: !!opts.dryRun });
    bar.update(1, 1);
    return {
      data: r,
      text: `${r.dryRun ? '检查通过（未保存）/ checked, nothing saved' : '导入完成 / imported'}: ${r.items} 项 items — 新增 created ${r.created}，更新 updated ${r.updated}`,
    };
  } finally {
    bar.stop();
  }
}
