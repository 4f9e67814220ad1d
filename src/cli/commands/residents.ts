/**
 * `minsheng residents …`: the resident registry. `generate` builds the labelled demo registry
 * (deterministic; ≥100k persons for the 政策找人 demo), `import` reads CSV/Excel with a per-row
 * report (docs/RESIDENTS-IMPORT.md), `facts` prints what the benefit rules see on a date.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import { areasService } from '../../domain/areas';
import { factsAt, generateRegistry, importResidents, residentsService, type ImportReport } from '../../domain/residents';
import { leaf, run, type CliContext, type JsonOption } from '../context';
import { CliError, EXIT } from '../errors';
import type { CommandOutcome } from '../output';
import { progressBar } from '../progress';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
function parseDate(v: string): string {
  if (!DATE.test(v)) throw new CliError('usage', { zh: `日期应为 YYYY-MM-DD：${v}`, en: `date must be YYYY-MM-DD: ${v}` }, undefined, EXIT.usage);
  return v;
}
function parseCount(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 2_000_000) throw new CliError('usage', { zh: '人数应为 1–2000000 的整数', en: 'persons must be an integer 1–2,000,000' }, undefined, EXIT.usage);
  return n;
}

export function residentsCommands(program: Command, ctx: CliContext): void {
  const residents = program.command('residents').description('人口信息（政策找人）/ the resident registry');

  leaf(residents, 'generate', '生成演示人口库（确定性、标注演示，替换已有演示人口）/ generate the labelled demo registry (deterministic; replaces the previous demo registry)')
    .option('--persons <n>', '人数 / number of persons', parseCount, 100_000)
    .option('--seed <text>', '随机种子 / seed', 'demo')
    .option('--date <YYYY-MM-DD>', '参考日期（默认今天）/ reference date (default today)', parseDate)
    .action(run(ctx, (opts: { persons: number; seed: string; date?: string } & JsonOption) => generate(ctx, opts)));

  leaf(residents, 'import', '导入人员或待遇领取（CSV/Excel），逐行报告 / import persons or benefit receipts (CSV/Excel) with a per-row report')
    .argument('<file>', '.csv 或 .xlsx 文件 / file')
    .option('--effective <YYYY-MM-DD>', '变更生效日期（默认今天）/ date the changes take effect (default today)', parseDate)
    .option('--dry-run', '只检查，不写入 / check only, write nothing')
    .option('--strict', '任一行有错则整个文件不导入 / any bad row: import nothing')
    .option('--report <file>', '把完整报告写入 JSON 文件 / write the full report to a JSON file')
    .addHelpText(
      'after',
      '\n规则 / rule: 有效的户整户导入（一个事务），有错的行连同其所在户跳过并逐行说明原因；--strict 时任一错误则全部不导入。\n' +
        'valid households are applied whole in one transaction; bad rows (and their households) are skipped with reasons; with --strict any error applies nothing.\n' +
        '退出码 / exit codes: 0 全部导入 all applied; 2 有跳过的行 some rows skipped; 1 致命错误 fatal error\n',
    )
    .action(run(ctx, (file: string, opts: ImportOptions) => importFile(ctx, file, opts)));

  leaf(residents, 'facts', '某日的人员事实（政策规则所见）汇总 / a summary of the facts the benefit rules see on a date')
    .option('--date <YYYY-MM-DD>', '参考日期（默认今天）/ reference date (default today)', parseDate)
    .action(run(ctx, (opts: { date?: string } & JsonOption) => facts(ctx, opts)));
}

function today(ctx: CliContext, clock: () => Date): string {
  void ctx;
  return new Date(clock().getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
}

async function generate(ctx: CliContext, opts: { persons: number; seed: string; date?: string } & JsonOption): Promise<CommandOutcome> {
  const { deps } = await ctx.session.open();
  const actor = ctx.session.actor();
  const cells = await areasService.listAreaRows(deps.db, actor.districtCode, 'grid_cell');
  if (cells.length === 0) {
    throw new CliError('no_grid_cells', { zh: '本区还没有网格，请先导入区划或启动一次服务器生成演示区', en: 'The district has no grid cells yet: import divisions or start the server once to seed the demo district' });
  }
  const date = opts.date ?? today(ctx, deps.clock);
  const genBar = progressBar('生成 / generating', !opts.json);
  const started = performance.now();
  let registry;
  try {
    registry = generateRegistry({
      seed: opts.seed,
      persons: opts.persons,
      cells: cells.map((c) => ({ code: c.code, path: c.path, geometry: c.geometry as never })),
      referenceDate: date,
      onProgress: (done) => genBar.update(done, opts.persons),
    });
  } finally {
    genBar.stop();
  }
  const generatedMs = performance.now() - started;
  const bar = progressBar('写入 / writing', !opts.json);
  let stored;
  try {
    stored = await residentsService.storeDemoRegistry(deps, actor, registry, { replace: true, onProgress: (done, total) => bar.update(done, total) });
  } finally {
    bar.stop();
  }
  const data = {
    ...stored,
    seed: opts.seed,
    referenceDate: date,
    statuses: registry.statuses.length,
    receipts: registry.receipts.length,
    generatedMs: Math.round(generatedMs),
    totalMs: Math.round(performance.now() - started),
    demo: true,
  };
  return {
    data,
    text: [
      `已生成演示人口库 / demo registry generated (seed ${opts.seed}, ${date}):`,
      `  人员 persons: ${data.persons}   户 households: ${data.households}   楼栋 buildings: ${data.buildings}`,
      `  特殊身份 statuses: ${data.statuses}   待遇记录 receipts: ${data.receipts}`,
      `  用时 took: ${(data.totalMs / 1000).toFixed(1)} s`,
      '  全部标注演示：姓名带“演示”，身份证号以 99 开头，手机号以 100 开头 / all labelled demo: names end in 演示, ID numbers start with 99, phones with 100',
    ].join('\n'),
  };
}

interface ImportOptions extends JsonOption {
  effective?: string;
  dryRun?: boolean;
  strict?: boolean;
  report?: string;
}

async function importFile(ctx: CliContext, file: string, opts: ImportOptions): Promise<CommandOutcome> {
  let content: Buffer;
  try {
    content = await readFile(file);
  } catch (e) {
    throw new CliError('file_unreadable', { zh: `无法读取文件：${file}`, en: `Cannot read the file: ${file}` }, { reason: (e as Error).message });
  }
  const { deps } = await ctx.session.open();
  const bar = progressBar('导入 / importing', !opts.json);
  let report: ImportReport;
  try {
    report = await importResidents(deps, ctx.session.actor(), {
      fileName: path.basename(file),
      content,
      ...(opts.effective ? { effectiveOn: opts.effective } : {}),
      dryRun: !!opts.dryRun,
      strict: !!opts.strict,
      onProgress: (_stage, done, total) => bar.update(done, Math.max(total, 1)),
    });
  } finally {
    bar.stop();
  }
  if (opts.report) await writeFile(opts.report, JSON.stringify(report, null, 2));
  const skippedRows = report.rows.filter((r) => r.status === 'skipped');
  const lines = [
    `${report.applied ? '已导入 / imported' : report.dryRun ? '检查完成（未写入）/ checked (dry run, nothing written)' : '未导入（--strict 且有错误）/ nothing imported (--strict and errors)'}: ${report.fileName} [${report.kind}] 生效 effective ${report.effectiveOn}`,
    `  共 total ${report.total}   新增 created ${report.created}   变更 updated ${report.updated}   无变化 unchanged ${report.unchanged}   跳过 skipped ${report.skipped}`,
    ...skippedRows.slice(0, 50).map((r) => `  第 ${r.line} 行 line ${r.line}${r.idNumber ? ` ${r.idNumber}` : ''}: ${r.errors.map((e) => `${e.zh} / ${e.en}`).join('；')}`),
    ...(skippedRows.length > 50 ? [`  …… 另有 ${skippedRows.length - 50} 行 / ${skippedRows.length - 50} more (--json or --report for all)`] : []),
  ];
  return { data: report, text: lines.join('\n'), exitCode: report.skipped > 0 || !report.applied ? EXIT.partial : EXIT.ok };
}

async function facts(ctx: CliContext, opts: { date?: string } & JsonOption): Promise<CommandOutcome> {
  const { deps } = await ctx.session.open();
  const actor = ctx.session.actor();
  const date = opts.date ?? today(ctx, deps.clock);
  const all = await factsAt(deps.db, actor.districtCode, date, `/${actor.districtCode}/`);
  const statusCounts: Record<string, number> = {};
  const receiving: Record<string, number> = {};
  for (const f of all) {
    for (const s of f.statuses) statusCounts[s] = (statusCounts[s] ?? 0) + 1;
    for (const r of f.receiving) receiving[r] = (receiving[r] ?? 0) + 1;
  }
  const data = {
    date,
    persons: all.length,
    alive: all.filter((f) => f.deathDate === null).length,
    resident: all.filter((f) => f.resident && f.deathDate === null).length,
    households: new Set(all.map((f) => f.householdId).filter(Boolean)).size,
    statuses: statusCounts,
    receiving,
  };
  return {
    data,
    text: [
      `${date}: 人员 persons ${data.persons}（在世 alive ${data.alive}，在区 resident ${data.resident}），户 households ${data.households}`,
      `  特殊身份 statuses: ${Object.entries(statusCounts).map(([k, v]) => `${k} ${v}`).join('  ')}`,
      `  正在领取 receiving: ${Object.entries(receiving).map(([k, v]) => `${k} ${v}`).join('  ')}`,
    ].join('\n'),
  };
}
