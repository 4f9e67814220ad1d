/**
 * `minsheng model …`: the category classifier.
 *   train --data <file.jsonl> … --out <model file>   train on labelled files (text or title+body, label)
 *   train --from-tickets                              train on the district's closed tickets (a new version in the database)
 *   eval  --model <model file> --data <file.jsonl>    macro-F1, accuracy, per-class P/R/F1, docs per second
 *   list | activate <version> | rollback              the versions in the database
 * File training needs no database: the file is the input and the model file the output.
 */
import { readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import { CategoryPredictor, DEFAULT_TRAIN, TextAnalyzer, modelsService, decodeModel, encodeModel, evaluateOnRows, parseLabelledJsonl, LabelledFileError, trainOnRows, type LabelledRow, type TrainProgress } from '../../domain/analysis';
import { leaf, run, type CliContext, type JsonOption } from '../context';
import { CliError } from '../errors';
import { table, type CommandOutcome } from '../output';
import { progressBar } from '../progress';

const MAX_BYTES = 200 * 1024 * 1024;

async function readUtf8(file: string, what: { zh: string; en: string }): Promise<string> {
  const full = path.resolve(file);
  const fail = (code: string, zh: string, en: string) => new CliError(code, { zh, en });
  try {
    const s = await stat(full);
    if (!s.isFile()) throw fail('not_a_file', `${what.zh}“${file}”不是普通文件`, `The ${what.en} "${file}" is not a regular file`);
    if (s.size > MAX_BYTES) throw fail('file_too_large', `${what.zh}过大（上限 200 MB）：${file}`, `The ${what.en} is too large (limit 200 MB): ${file}`);
  } catch (e) {
    if (e instanceof CliError) throw e;
    if ((e as { code?: string }).code === 'ENOENT') throw fail('file_not_found', `${what.zh}不存在：${file}`, `The ${what.en} does not exist: ${file}`);
    throw fail('file_unreadable', `无法读取${what.zh}：${file}`, `Cannot read the ${what.en}: ${file}`);
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(await readFile(full));
  } catch {
    throw fail('not_utf8', `${what.zh}“${file}”不是 UTF-8 编码`, `The ${what.en} "${file}" is not UTF-8 encoded`);
  }
}

async function readLabelled(files: readonly string[]): Promise<LabelledRow[]> {
  const rows: LabelledRow[] = [];
  for (const f of files) {
    const text = await readUtf8(f, { zh: '数据文件', en: 'data file' });
    try {
      rows.push(...parseLabelledJsonl(text, f));
    } catch (e) {
      if (e instanceof LabelledFileError) throw new CliError(e.line === null ? 'no_rows' : 'bad_row', { zh: e.zh, en: e.en }, e.line === null ? undefined : { file: f, line: e.line });
      throw e;
    }
  }
  return rows;
}

const collect = (v: string, prev: string[] = []) => [...prev, v];
const positiveInt = (max: number) => (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > max) throw new InvalidArgumentError(`应为 1 到 ${max} 的整数 / an integer from 1 to ${max}`);
  return n;
};

const bitsArg = (value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 12 || n > 22) throw new InvalidArgumentError('应为 12 到 22 的整数 / an integer from 12 to 22');
  return n;
};

export function modelCommands(program: Command, ctx: CliContext): Command {
  const model = program.command('model').description('分类模型：训练、评估、版本 / the category classifier: train, evaluate, versions');

  leaf(model, 'train', '训练分类模型 / train the category classifier')
    .option('--data <file.jsonl>', '带标签的 JSONL（text 或 title+body，label），可重复 / labelled JSONL, repeatable', collect)
    .option('--out <model file>', '模型文件输出路径 / where to write the model file')
    .option('--from-tickets', '用本区已办结工单训练并保存为新版本 / train on the district\'s closed tickets, saved as a new version')
    .option('--activate', '（--from-tickets）训练后立即启用 / activate the new version at once')
    .option('--folds <n>', '交叉验证折数 / cross-validation folds', positiveInt(10))
    .option('--ensemble', '加入 NB-SVM 成员 / add the NB-SVM member')
    .option('--bits <n>', '特征哈希位数（默认 19）/ log2 of the feature hash buckets (default 19)', bitsArg)
    .option('--words', '加入分词特征（更慢，见 ADR 0044）/ add jieba word features (slower, see ADR 0044)')
    .addHelpText('after', '\n例 / e.g.: minsheng model train --data train.jsonl --out model.json\n')
    .action(run(ctx, (opts: TrainOptions) => train(ctx, opts)));

  leaf(model, 'eval', '在带标签的数据上评估模型文件 / evaluate a model file on labelled data')
    .requiredOption('--model <model file>', '模型文件 / the model file')
    .requiredOption('--data <file.jsonl>', '带标签的 JSONL，可重复 / labelled JSONL, repeatable', collect)
    .action(run(ctx, (opts: EvalOptions) => evalModel(ctx, opts)));

  leaf(model, 'list', '数据库中的模型版本 / the versions in the database')
    .action(run(ctx, (opts: JsonOption) => list(ctx, opts)));

  leaf(model, 'activate', '启用某个版本 / activate a version')
    .argument('<version>', '版本号 / version number', positiveInt(1_000_000))
    .action(run(ctx, (version: number, opts: JsonOption) => activate(ctx, version, opts)));

  leaf(model, 'rollback', '回退到上一个启用的版本 / roll back to the previously active version')
    .action(run(ctx, (opts: JsonOption) => rollback(ctx, opts)));

  return model;
}

interface TrainOptions extends JsonOption {
  data?: string[];
  out?: string;
  fromTickets?: boolean;
  activate?: boolean;
  folds?: number;
  ensemble?: boolean;
  bits?: number;
  words?: boolean;
}

interface EvalOptions extends JsonOption {
  model: string;
  data: string[];
}

function usage(zh: string, en: string): CliError {
  return new CliError('usage', { zh, en }, undefined, 64);
}

async function train(ctx: CliContext, opts: TrainOptions): Promise<CommandOutcome> {
  if (opts.fromTickets) return trainFromTicketsCmd(ctx, opts);
  if (!opts.data?.length) throw usage('需要 --data <file.jsonl>（或 --from-tickets）', 'Give --data <file.jsonl> (or --from-tickets)');
  if (!opts.out) throw usage('需要 --out <模型文件>', 'Give --out <model file>');
  const rows = await readLabelled(opts.data);
  const bar = progressBar('训练 training', !ctx.json);
  const analyzer = new TextAnalyzer();
  let result;
  try {
    const features = { ...DEFAULT_TRAIN.features, ...(opts.bits ? { bits: opts.bits } : {}), ...(opts.words ? { wordWeight: 1 } : {}) };
    result = trainOnRows(analyzer, rows, { features, ...(opts.folds ? { folds: opts.folds } : {}), ...(opts.ensemble ? { members: ['svm', 'nbsvm'] } : {}) }, (p: TrainProgress) => bar.update(p.done, p.total));
  } catch (e) {
    if (e instanceof RangeError) throw new CliError('too_few_labels', { zh: '训练数据至少需要两个类别、每类至少 3 条', en: 'Training needs at least two labels with 3 rows each' });
    throw e;
  } finally {
    bar.stop();
  }
  const { model, report } = result;
  const meta = { trainedOn: opts.data.map((f) => path.basename(f)), rows: rows.length, cv: { macroF1: report.cv.macroF1, accuracy: report.cv.accuracy }, calibration: report.calibration };
  const text = encodeModel(model, { meta });
  await writeFile(path.resolve(opts.out), text);
  const data = {
    out: opts.out,
    bytes: Buffer.byteLength(text),
    rows: rows.length,
    labels: model.labels,
    counts: report.counts,
    dropped: report.dropped,
    features: report.dim,
    crossValidation: { folds: report.options.folds, macroF1: report.cv.macroF1, accuracy: report.cv.accuracy },
    calibration: { temperature: report.temperatures.final, ...report.calibration },
  };
  const lines = [
    `已写入模型 model written: ${opts.out} (${(data.bytes / 1024 / 1024).toFixed(1)} MB)`,
    `训练样本 rows: ${rows.length}; 类别 labels: ${model.labels.length}; 特征 features: ${report.dim}`,
    `交叉验证 cross-validation (${report.options.folds} 折 folds): macro-F1 ${report.cv.macroF1}, accuracy ${report.cv.accuracy}`,
    `校准 calibration: T=${report.temperatures.final}, NLL ${report.calibration.nllBefore} → ${report.calibration.nllAfter}, ECE ${report.calibration.ece}`,
    ...(Object.keys(report.dropped).length ? [`样本太少未训练 dropped (too few rows): ${Object.entries(report.dropped).map(([l, n]) => `${l} ${n}`).join(', ')}`] : []),
  ];
  return { data, text: lines.join('\n') };
}

async function loadModelFile(file: string) {
  const text = await readUtf8(file, { zh: '模型文件', en: 'model file' });
  return decodeModel(text);
}

async function evalModel(ctx: CliContext, opts: EvalOptions): Promise<CommandOutcome> {
  const { model } = await loadModelFile(opts.model);
  const rows = await readLabelled(opts.data);
  const analyzer = new TextAnalyzer();
  const r = evaluateOnRows(analyzer, new CategoryPredictor(model), rows);
  const perClass: Record<string, { precision: number; recall: number; f1: number }> = {};
  for (const [l, m] of Object.entries(r.perClass)) perClass[l] = { precision: m.precision, recall: m.recall, f1: m.f1 };
  const data = {
    macroF1: r.macroF1,
    accuracy: r.accuracy,
    perClass,
    docsPerSecond: r.docsPerSecond,
    wallDocsPerSecond: r.wallDocsPerSecond,
    n: r.n,
    support: Object.fromEntries(Object.entries(r.perClass).map(([l, m]) => [l, m.support])),
    labels: r.labels,
    confusion: r.confusion,
    unknownLabels: r.unknownLabels,
  };
  const text = [
    `macro-F1 ${r.macroF1}  accuracy ${r.accuracy}  (${r.n} 条 rows, ${r.docsPerSecond} 条/秒 docs/s)`,
    table(
      ['类别 label', '精确率 precision', '召回率 recall', 'F1', '样本 support'],
      Object.entries(r.perClass).map(([l, m]) => [l, m.precision.toFixed(4), m.recall.toFixed(4), m.f1.toFixed(4), String(m.support)]),
    ),
    ...(Object.keys(r.unknownLabels).length ? [`模型不认识的类别 labels unknown to the model: ${Object.entries(r.unknownLabels).map(([l, n]) => `${l} ${n}`).join(', ')}`] : []),
  ].join('\n');
  return { data, text };
}

async function trainFromTicketsCmd(ctx: CliContext, opts: TrainOptions): Promise<CommandOutcome> {
  if (opts.data?.length || opts.out) throw usage('--from-tickets 不与 --data/--out 同用', '--from-tickets does not take --data or --out');
  const { deps } = await ctx.session.open();
  const bar = progressBar('训练 training', !ctx.json);
  const { run: started, finished } = await modelsService.startTraining(
    deps,
    ctx.session.actor(),
    { source: 'tickets', activate: !!opts.activate, trigger: 'cli', options: { ...(opts.folds ? { folds: opts.folds } : {}), ...(opts.ensemble ? { members: ['svm', 'nbsvm'] } : {}) } },
    (p) => bar.update(p.done, p.total),
  );
  const version = await finished;
  bar.stop();
  if (!version) {
    const r = await modelsService.getRun(deps, ctx.session.actor(), started.id);
    const [zh, en] = (r.error ?? '训练失败 / training failed').split(' / ');
    throw new CliError('training_failed', { zh: zh ?? '训练失败', en: en ?? zh ?? 'Training failed' });
  }
  return {
    data: { model: version },
    text: `已保存模型版本 saved version ${version.version}${version.active ? '（已启用 active）' : ''}: macro-F1 ${version.macroF1} (交叉验证 cross-validation), ${version.labels.length} 个类别 labels`,
  };
}

async function list(ctx: CliContext, _opts: JsonOption): Promise<CommandOutcome> {
  const { deps } = await ctx.session.open();
  const r = await modelsService.listModels(deps, ctx.session.actor());
  const text = r.items.length
    ? table(
        ['版本 version', '启用 active', 'macro-F1', 'accuracy', '类别 labels', '来源 source', '时间 created'],
        r.items.map((m) => [String(m.version), m.active ? '✓' : '', String(m.macroF1 ?? '—'), String(m.accuracy ?? '—'), String(m.labels.length), String((m.training as { source?: string }).source ?? '') + (m.isDemo ? ' (demo)' : ''), m.createdAt]),
      )
    : '还没有模型版本 / no model versions yet';
  return { data: r, text };
}

async function activate(ctx: CliContext, version: number, _opts: JsonOption): Promise<CommandOutcome> {
  const { deps } = await ctx.session.open();
  const m = await modelsService.activateModel(deps, ctx.session.actor(), version);
  return { data: { model: m }, text: `已启用版本 activated version ${m.version}` };
}

async function rollback(ctx: CliContext, _opts: JsonOption): Promise<CommandOutcome> {
  const { deps } = await ctx.session.open();
  const m = await modelsService.rollbackModel(deps, ctx.session.actor());
  return { data: { model: m }, text: `已回退到版本 rolled back to version ${m.version}` };
}
