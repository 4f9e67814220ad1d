/**
 * `minsheng open311 keys …`: the API keys Open311 clients post requests with — issued (shown
 * once; only a hash is kept), listed and revoked through the same use cases as the admin API.
 */
import type { Command } from 'commander';
import { open311Service } from '../../domain/open311';
import { leaf, run, type CliContext, type JsonOption } from '../context';
import { table, type CommandOutcome } from '../output';

export function open311Commands(program: Command, ctx: CliContext): void {
  const open311 = program.command('open311').description('Open311 GeoReport v2 接口 / the Open311 interface');
  const keys = open311.command('keys').description('接口密钥 / API keys');

  leaf(keys, 'create', '签发密钥（只显示一次）/ issue a key (shown once)')
    .requiredOption('--label <text>', '使用方名称 / who uses it, e.g. 市12345平台')
    .action(run(ctx, (opts: JsonOption & { label: string }) => createKey(ctx, opts.label)));
  leaf(keys, 'list', '列出密钥 / list keys').action(run(ctx, () => listKeys(ctx)));
  leaf(keys, 'revoke', '停用密钥 / revoke a key')
    .argument('<id>', '密钥编号 / key id (from `keys list`)')
    .action(run(ctx, (id: string) => revokeKey(ctx, id)));
}

async function createKey(ctx: CliContext, label: string): Promise<CommandOutcome> {
  const { deps } = await ctx.session.open();
  const key = await open311Service.createApiKey(deps, ctx.session.actor(), label);
  return {
    data: key,
    text: [`已签发 / issued: ${key.label} (${key.id})`, '', `密钥（仅显示这一次）/ key (shown once): ${key.apiKey}`].join('\n'),
  };
}

async function listKeys(ctx: CliContext): Promise<CommandOutcome> {
  const { deps } = await ctx.session.open();
  const items = await open311Service.listApiKeys(deps, ctx.session.actor());
  if (items.length === 0) return { data: { items }, text: '没有接口密钥 / no API keys' };
  const rows = items.map((k) => [k.id, k.label, k.createdAt, k.revokedAt ? `停用 revoked ${k.revokedAt}` : '有效 active']);
  return { data: { items }, text: table(['编号 id', '名称 label', '签发 created', '状态 status'], rows) };
}

async function revokeKey(ctx: CliContext, id: string): Promise<CommandOutcome> {
  const { deps } = await ctx.session.open();
  await open311Service.revokeApiKey(deps, ctx.session.actor(), id);
  return { data: { id, revoked: true }, text: `已停用 / revoked: ${id}` };
}
