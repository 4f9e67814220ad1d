/**
 * `minsheng benefits …`: 政策找人 from the terminal — run the policies over the registry on a
 * date (counts per policy and category, the lists stored for the web pages), explain one person,
 * seed / export / import the policies. The same services as the API, acting as the system.
 */
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { benefitsService } from '../../domain/benefits';
import { leaf, run, type CliContext, type JsonOption } from '../context';
import { table, type CommandOutcome } from '../output';
import { progressBar } from '../progress';

const yuan = (fen: number) => (fen / 100).toLocaleString('en-US', { maximumFractionDigits: 2 });

export function benefitsCommands(program: Command, ctx: CliContext): Command {
  const benefits = program.command('benefits').description('政策找人 / benefit policies, matching and explanations');
  leaf(benefits, 'match', '按参考日期比对全部（或一项）政策：在领、沉默少数、应停发、不符合 / match the registry against the policies')
    .requiredOption('--date <YYYY-MM-DD>', '参考日期 / reference date')
    .option('--policy <code>', '只比对这一项政策 / only this policy')
    .action(run(ctx, (opts: JsonOption & { date: string; policy?: string }) => match(ctx, opts)));
  leaf(benefits, 'explain', '逐项说明一个人在某日是否符合各项政策 / explain every policy for one person')
    .requiredOption('--person <id>', '居民编号 / person id')
    .requiredOption('--date <YYYY-MM-DD>', '参考日期 / reference date')
    .action(run(ctx, (opts: JsonOption & { person: string; date: string }) => explainOne(ctx, opts)));
  leaf(benefits, 'seed-policies', '写入演示政策（已有的不覆盖）/ add the demo policies (existing ones are kept)').action(
    run(ctx, async () => {
      const { deps } = await ctx.session.open();
      const n = await benefitsService.seedDemoPolicies(deps, ctx.session.actor());
      return { data: { added: n }, text: `已添加演示政策 / demo policies added: ${n}` };
    }),
  );
  leaf(benefits, 'export', '导出全部现行政策为 JSON / export the current policies as JSON').action(
    run(ctx, async () => {
      const { deps } = await ctx.session.open();
      const doc = await benefitsService.exportPolicies(deps, ctx.session.actor());
      return { data: doc, text: JSON.stringify(doc, null, 2) };
    }),
  );
  leaf(benefits, 'import', '从 JSON 文件导入政策（全部通过才保存）/ import policies from a JSON file (all or nothing)')
    .argument('<file>')
    .action(
      run(ctx, async (file: string) => {
        const { deps } = await ctx.session.open();
        const doc: unknown = JSON.parse(await readFile(file, 'utf8'));
        const r = await benefitsService.importPolicies(deps, ctx.session.actor(), doc);
        return { data: r, text: r.saved.map((s) => `${s.code} v${s.version}`).join('\n') };
      }),
    );
  return benefits;
}

async function match(ctx: CliContext, opts: { date: string; policy?: string }): Promise<CommandOutcome> {
  const { deps } = await ctx.session.open();
  const bar = progressBar('政策找人 matching', !ctx.json);
  const r = await benefitsService.runMatch(deps, ctx.session.actor(), { date: opts.date, ...(opts.policy ? { policy: opts.policy } : {}) }, (phase, done, total) => {
    if (phase === 'match') bar.update(done, total);
  });
  bar.stop();
  const rows = r.policies.map((p) => [
    `${p.name.zh} ${p.code}`,
    String(p.eligible_receiving),
    String(p.eligible_missing),
    String(p.stop),
    String(p.not_eligible),
    p.monthlyFen ? yuan(p.monthlyFen) : '—',
  ]);
  const text = [
    `参考日期 date ${r.date} · 人数 persons ${r.persons} · run ${r.runId}`,
    table(['政策 policy', '在领 receiving', '沉默少数 missing', '应停发 stop', '不符合 not eligible', '应发/月（元）monthly ¥'], rows),
  ].join('\n');
  return {
    data: {
      runId: r.runId,
      date: r.date,
      persons: r.persons,
      policies: r.policies.map((p) => ({ code: p.code, version: p.version, name: p.name, counts: { eligible_receiving: p.eligible_receiving, eligible_missing: p.eligible_missing, stop: p.stop, not_eligible: p.not_eligible }, tiers: p.tiers, monthlyFen: p.monthlyFen })),
    },
    text,
  };
}

async function explainOne(ctx: CliContext, opts: { person: string; date: string }): Promise<CommandOutcome> {
  const { deps } = await ctx.session.open();
  const r = await benefitsService.explainPerson(deps, ctx.session.actor(), opts.person, opts.date);
  const mark = { eligible_receiving: '✓ 在领', eligible_missing: '★ 符合未领', stop: '✗ 应停发', not_eligible: '· 不符合' } as const;
  const text = [`居民 person ${r.personId} · ${r.date}`, ...r.verdicts.map((v) => `  ${mark[v.category]}  ${v.policyCode}: ${v.summary.zh}${v.stopReason ? `（${v.stopReason}）` : ''}`)].join('\n');
  return { data: r, text };
}
