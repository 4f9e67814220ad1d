/**
 * `minsheng users …`: staff accounts, through accessService — the same use cases as the admin
 * screens, with the input checked by the same schemas as the HTTP API.
 */
import { randomInt } from 'node:crypto';
import { type Command, Option } from 'commander';
import type { z } from 'zod';
import { accessService } from '../../domain/access';
import { ROLES, type Role } from '../../shared/authz';
import { AppError } from '../../shared/errors';
import { integerIn, parseAreaCode } from '../args';
import { AddUserBody, ListUsersQuery } from '../contracts';
import { leaf, run, type CliContext, type JsonOption } from '../context';
import { CliError } from '../errors';
import { roleLabel, table, type CommandOutcome } from '../output';

const ROLE_HELP = `角色 / role: ${ROLES.join(', ')}`;

export function usersCommands(program: Command, ctx: CliContext): void {
  const users = program.command('users').description('用户账号 / user accounts');

  leaf(users, 'add', '新增用户（不给密码时生成一个强密码并只显示一次）/ add a user (without a password, a strong one is generated and shown once)')
    .requiredOption('--username <u>', '登录名 / sign-in name (3–40: letters, digits, _ . -)')
    .requiredOption('--name <display>', '显示名 / display name')
    .addOption(new Option('--role <role>', ROLE_HELP).choices(ROLES).makeOptionMandatory())
    .option('--area <code>', '管辖区域代码 / area of jurisdiction', parseAreaCode)
    .option('--department <code>', '所属部门代码 / department code, e.g. urban-management')
    .option('--phone <p>', '电话 / phone')
    .addOption(new Option('--password <p>', '密码（会留在命令历史中，建议用 --password-stdin）/ password (stays in shell history; prefer --password-stdin)').conflicts('passwordStdin'))
    .option('--password-stdin', '从标准输入读取密码（第一行）/ read the password from stdin (first line)')
    .action(run(ctx, (opts: AddOptions) => addUser(ctx, opts)));

  leaf(users, 'list', '列出用户（电话已脱敏）/ list users (phones masked)')
    .addOption(new Option('--role <role>', ROLE_HELP).choices(ROLES))
    .option('--q <text>', '按登录名或姓名查找 / search username or display name')
    .option('--page <n>', '页码 / page', integerIn(1, 100_000, { zh: '页码', en: 'page' }), 1)
    .option('--page-size <n>', '每页条数 / page size', integerIn(1, 200, { zh: '每页条数', en: 'page size' }), 50)
    .action(run(ctx, (opts: ListOptions) => listUsers(ctx, opts)));
}

interface AddOptions extends JsonOption {
  username: string;
  name: string;
  role: Role;
  area?: string;
  department?: string;
  phone?: string;
  password?: string;
  passwordStdin?: boolean;
}

interface ListOptions extends JsonOption {
  role?: Role;
  q?: string;
  page: number;
  pageSize: number;
}

/** Schema field → the option a person typed. */
const OPTION_OF: Record<string, string> = {
  username: '--username',
  displayName: '--name',
  role: '--role',
  password: '--password',
  areaCode: '--area',
  departmentCode: '--department',
  phone: '--phone',
  q: '--q',
  page: '--page',
  pageSize: '--page-size',
};

function invalidInput(error: z.ZodError): AppError {
  const issues = error.issues.map((i) => {
    const field = String(i.path[0] ?? '');
    const option = OPTION_OF[field] ?? field;
    const message = i.message.replace(new RegExp(`^${field}:\\s*`, 'i'), '');
    return { field: option, code: i.code, zh: `${option} 格式不正确（${message}）`, en: `${option}: ${message}` };
  });
  return new AppError(
    'validation_failed',
    { zh: `参数有误：${issues.map((i) => i.zh).join('；')}`, en: `Invalid input: ${issues.map((i) => i.en).join('; ')}` },
    issues,
  );
}

async function addUser(ctx: CliContext, opts: AddOptions): Promise<CommandOutcome> {
  let password = opts.password;
  if (opts.passwordStdin) password = await readPasswordFromStdin();
  const generated = password === undefined;
  password ??= generatePassword(opts.username);

  const parsed = AddUserBody.safeParse({
    username: opts.username,
    displayName: opts.name,
    role: opts.role,
    password,
    ...(opts.area ? { areaCode: opts.area } : {}),
    ...(opts.department ? { departmentCode: opts.department } : {}),
    ...(opts.phone ? { phone: opts.phone } : {}),
  });
  if (!parsed.success) throw invalidInput(parsed.error);

  const { deps } = await ctx.session.open();
  const user = await accessService.addUser(deps, ctx.session.actor(), parsed.data);
  const lines = [
    `已创建用户 / user created: ${user.username}（${user.displayName}）`,
    `  角色 role: ${roleLabel(user.role)}`,
    ...(user.areaCode ? [`  区域 area: ${user.areaName ?? ''} ${user.areaCode}`] : []),
    ...(user.departmentCode ? [`  部门 department: ${user.departmentName ?? ''} ${user.departmentCode}`] : []),
    ...(user.phone ? [`  电话 phone: ${user.phone}`] : []),
  ];
  if (generated) lines.push('', `初始密码（仅显示这一次，请妥善转交）/ initial password (shown once): ${password}`);
  return { data: { user, ...(generated ? { password } : {}) }, text: lines.join('\n') };
}

async function listUsers(ctx: CliContext, opts: ListOptions): Promise<CommandOutcome> {
  const parsed = ListUsersQuery.safeParse({
    page: opts.page,
    pageSize: opts.pageSize,
    ...(opts.q !== undefined ? { q: opts.q } : {}),
    ...(opts.role ? { role: opts.role } : {}),
  });
  if (!parsed.success) throw invalidInput(parsed.error);
  const { deps } = await ctx.session.open();
  const result = await accessService.listUsers(deps, ctx.session.actor(), parsed.data);
  const { page, pageSize } = parsed.data;
  const data = { total: result.total, page, pageSize, items: result.items };
  if (result.items.length === 0) {
    return { data, text: result.total > 0 ? `第 ${page} 页没有用户 / no users on page ${page} (total ${result.total})` : '没有找到用户 / no users found' };
  }
  const rows = result.items.map((u) => [
    u.username,
    u.displayName,
    roleLabel(u.role),
    u.areaName ?? u.departmentName ?? '-',
    u.phone ?? '-',
    [u.disabled ? '停用 disabled' : '', u.lockedUntil ? '锁定 locked' : '', u.isDemo ? '演示 demo' : ''].filter(Boolean).join(' ') || '-',
  ]);
  const from = (page - 1) * pageSize + 1;
  return {
    data,
    text: [
      `用户 / users ${from}–${from + result.items.length - 1} / ${result.total}:`,
      table(['登录名 username', '姓名 name', '角色 role', '范围 scope', '电话 phone', '状态 status'], rows),
    ].join('\n'),
  };
}

/** 4 groups of 5 from 54 unambiguous letters and digits: about 115 bits, and passes the password rule. */
export function generatePassword(username: string): string {
  const alphabet = 'abcdefghjkmnpqrstuvwxyzABCDEFGHJKMNPQRSTUVWXYZ23456789';
  for (;;) {
    const groups = Array.from({ length: 4 }, () => Array.from({ length: 5 }, () => alphabet[randomInt(alphabet.length)]).join(''));
    const password = groups.join('-');
    if (!username || !password.toLowerCase().includes(username.toLowerCase())) return password;
  }
}

async function readPasswordFromStdin(): Promise<string> {
  if (process.stdin.isTTY) process.stderr.write('请输入密码后回车 / type the password, then Enter: ');
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) {
    chunks.push(Buffer.from(chunk as Buffer));
    if (Buffer.concat(chunks).includes(10)) break;
  }
  const password = Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0] ?? '';
  if (!password) {
    throw new CliError('validation_failed', { zh: '标准输入中没有密码', en: 'No password on stdin' });
  }
  return password;
}
