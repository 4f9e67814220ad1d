/**
 * `minsheng seed demo`: the demo district the server seeds on its first start, on request. The
 * CLI never seeds anything on its own.
 */
import { type Command } from 'commander';
import { areasService, AREA_LEVELS } from '../../domain/areas';
import { formatAccounts, isSeeded, seedDemoDistrict } from '../../server/demo-seed';
import { passwordProblems } from '../contracts';
import { leaf, run, type CliContext, type JsonOption } from '../context';
import { CliError } from '../errors';
import { LEVEL_NAMES, type CommandOutcome } from '../output';

/** The accounts seedDemoDistrict creates; a shared demo password must suit every one of them. */
const DEMO_USERNAMES = ['admin', 'leader', 'dispatcher', 'civil-affairs', 'handler-urban', 'street-admin', 'street-dispatcher', 'gridworker', 'resident'];

export function seedCommands(program: Command, ctx: CliContext): void {
  const seed = program.command('seed').description('演示数据 / demo data');
  leaf(seed, 'demo', '生成演示区（区划、演示边界与网格、演示账号），仅当本区还没有用户时 / seed the demo district if it has no users yet')
    .option('--password <p>', '所有演示账号共用的密码（默认每个账号随机生成）/ one password for every demo account (default: a random one each)')
    .option('--force', '即使已导入真实边界也生成（演示边界会覆盖它们）/ seed even over imported boundaries (the demo geometry replaces them)')
    .action(run(ctx, (opts: { password?: string; force?: boolean } & JsonOption) => seedDemo(ctx, opts)));
}

async function seedDemo(ctx: CliContext, opts: { password?: string; force?: boolean } & JsonOption): Promise<CommandOutcome> {
  const demoPassword = opts.password ?? ctx.session.config().demoPassword;
  if (demoPassword !== null) {
    // Checked before anything is written: seeding is several transactions, and a refusal at
    // the first account would leave a half-seeded district behind.
    const problems = DEMO_USERNAMES.flatMap((u) => passwordProblems(demoPassword, u));
    if (problems.length > 0) {
      const unique = [...new Map(problems.map((p) => [p.en, p])).values()];
      throw new CliError('validation_failed', {
        zh: `演示密码不可用：${unique.map((p) => p.zh).join('；')}（用户名：${DEMO_USERNAMES.join('、')}）`,
        en: `The demo password cannot be used: ${unique.map((p) => p.en).join('; ')} (usernames: ${DEMO_USERNAMES.join(', ')})`,
      });
    }
  }
  const { deps } = await ctx.session.open();
  const district = deps.districtCode;
  if (await isSeeded(deps)) {
    return {
      data: { seeded: false, reason: 'has_users', districtCode: district, accounts: [] },
      text: `本区 ${district} 已有用户账号，不再生成演示数据 / the district ${district} already has user accounts; the demo is not seeded`,
    };
  }
  if (!opts.force) {
    for (const level of AREA_LEVELS) {
      const rows = await areasService.listAreaRows(deps.db, district, level);
      if (rows.some((r) => r.geometry && !r.is_demo)) {
        throw new CliError('conflict', {
          zh: `本区 ${district} 已导入${LEVEL_NAMES[level].zh}级边界，演示数据会用生成的图形覆盖它们；确需如此请加 --force`,
          en: `The district ${district} has imported ${level} boundaries that the demo's generated shapes would replace; add --force to do it anyway`,
        });
      }
    }
  }
  const { accounts, gridCells } = await seedDemoDistrict(deps, { demoPassword });
  return {
    data: { seeded: true, districtCode: district, gridCells, accounts },
    text: [`已生成演示区 / demo district seeded: ${district}，网格 grid cells: ${gridCells}`, '', formatAccounts(accounts)].join('\n'),
  };
}
