/**
 * The demo district, seeded once on first start: real division names and codes for the
 * configured district, generated (and flagged) demo geometry and grid cells, default
 * departments and staff kinds, demo grid staff and demo accounts. No real person appears:
 * every name and phone number is generated and labelled demo; demo phone numbers start with
 * 100, which no Chinese mobile number does.
 */
import { benefitsService } from '../domain/benefits';
import { randomBytes } from 'node:crypto';
import type { SystemActor } from '../shared/authz';
import { joinTransaction } from '../shared/db';
import type { Role } from '../shared/authz';
import { accessService } from '../domain/access';
import { areasService, createRng } from '../domain/areas';
import { seedTicketCatalogue } from '../domain/tickets';
import { seedDemoMicro } from '../domain/micro';
import { seedDemoProjects } from '../domain/projects';
import { facilitiesService } from '../domain/facilities';
import { seedDemoKnowledge, modelsService } from '../domain/analysis';
import { generateRegistry, residentsService } from '../domain/residents';
import type { Deps } from './compose';

export interface DemoAccount {
  username: string;
  password: string;
  role: Role;
  displayName: string;
  scope: string;
}

const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤';
const GIVEN = '伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红鹏飞建国海燕晓东文斌婷雪梅志宏亮波宁琳俊峰春晖颖佳欣悦浩然子轩雨涵思远';

/** Known demo districts: a centre and size for the generated outline. Others get a default. */
const DEMO_SHAPES: Record<string, { center: [number, number]; radiusKm: number }> = {
  '370202': { center: [120.36, 36.068], radiusKm: 7 },
};

export function demoNames(seed: string) {
  const rng = createRng(seed);
  const pick = (s: string) => s[Math.floor(rng() * s.length)]!;
  let n = 0;
  return {
    name: () => `${pick(SURNAMES)}${pick(GIVEN)}${rng() < 0.6 ? pick(GIVEN) : ''}`,
    phone: () => `100${String(++n).padStart(8, '0')}`,
  };
}

export async function isSeeded(deps: Deps): Promise<boolean> {
  return (await accessService.countUsers(deps.db, deps.districtCode)) > 0;
}

/** Seeds the whole demo district in one transaction: all of it, or nothing. */
export async function seedDemoDistrict(
  deps: Deps,
  options: { demoPassword: string | null; gridCellsPerCommunity?: number },
): Promise<{ accounts: DemoAccount[]; gridCells: number }> {
  return deps.db.transaction((tx) => seedInside({ ...deps, db: joinTransaction(tx, deps.db.kind) }, options));
}

async function seedInside(
  deps: Deps,
  options: { demoPassword: string | null; gridCellsPerCommunity?: number },
): Promise<{ accounts: DemoAccount[]; gridCells: number }> {
  const system: SystemActor = { kind: 'system', districtCode: deps.districtCode, reason: 'demo-seed' };
  const shape = DEMO_SHAPES[deps.districtCode] ?? { center: [120.36, 36.068] as [number, number], radiusKm: 7 };
  const areas = await areasService.seedDemoAreas(deps, system, {
    districtCode: deps.districtCode,
    center: shape.center,
    radiusKm: shape.radiusKm,
    gridCellsPerCommunity: options.gridCellsPerCommunity ?? 10,
  });
  await deps.db.transaction(async (tx) => {
    await accessService.seedDepartments(tx, deps.districtCode);
    await seedTicketCatalogue(tx, deps.districtCode);
  });

  // 服务圈: demo buildings with residents and demo facilities of every type (labelled demo)
  await facilitiesService.seedDemoFacilities(deps, system, createRng(`facilities-${deps.districtCode}`));

  const names = demoNames(`people-${deps.districtCode}`);
  const cells = await areasService.listAreaRows(deps.db, deps.districtCode, 'grid_cell');
  await deps.db.transaction(async (tx) => {
    for (const cell of cells) {
      for (const staffKind of ['grid_worker', 'power_service', 'family_doctor', 'auxiliary_police']) {
        await areasService.insertDemoStaff(tx, {
          districtCode: deps.districtCode,
          areaCode: cell.code,
          areaPath: cell.path,
          staffKind,
          name: staffKind === 'family_doctor' ? `${names.name()}医生团队` : names.name(),
          phone: names.phone(),
          userId: null,
        });
      }
    }
  });

  const subdistricts = await areasService.listAreaRows(deps.db, deps.districtCode, 'subdistrict');
  const street = subdistricts[0];
  const cell = cells[0];
  const plan: { username: string; role: Role; title: string; areaCode?: string; departmentCode?: string }[] = [
    { username: 'admin', role: 'admin', title: '区管理员', areaCode: deps.districtCode },
    { username: 'leader', role: 'leader', title: '区领导', areaCode: deps.districtCode },
    { username: 'dispatcher', role: 'dispatcher', title: '区指挥中心派单员', areaCode: deps.districtCode },
    { username: 'civil-affairs', role: 'civil_affairs', title: '民政专员', areaCode: deps.districtCode, departmentCode: 'civil-affairs' },
    { username: 'handler-urban', role: 'handler', title: '城管承办人', departmentCode: 'urban-management' },
    ...(street
      ? [
          { username: 'street-admin', role: 'admin' as const, title: `${street.name}管理员`, areaCode: street.code },
          { username: 'street-dispatcher', role: 'dispatcher' as const, title: `${street.name}综合指挥中心`, areaCode: street.code },
        ]
      : []),
    ...(cell ? [{ username: 'gridworker', role: 'grid_worker' as const, title: `${cell.name}网格员`, areaCode: cell.code }] : []),
    { username: 'resident', role: 'resident', title: '居民' },
  ];
  const accounts: DemoAccount[] = [];
  for (const p of plan) {
    const password = options.demoPassword ?? `Ms-${randomBytes(6).toString('base64url')}-${randomBytes(2).toString('hex')}`;
    const displayName = `${names.name()}（演示·${p.title}）`;
    await accessService.addUser(deps, system, {
      username: p.username,
      displayName,
      role: p.role,
      password,
      ...(p.areaCode ? { areaCode: p.areaCode } : {}),
      ...(p.departmentCode ? { departmentCode: p.departmentCode } : {}),
      phone: names.phone(),
      isDemo: true,
    });
    accounts.push({ username: p.username, password, role: p.role, displayName, scope: p.areaCode ?? p.departmentCode ?? '-' });
  }
  await seedDemoKnowledge(deps, system);
  await seedDemoProjects(deps, system);
  await seedDemoMicro(deps, system);
  // An active demo classifier (trained on the project's generated demo rows) so new tickets get top-3 suggestions.
  await modelsService.seedDemoModel(deps, deps.districtCode);
  await seedDemoResidents(deps, system, cells);
  await benefitsService.seedDemoPolicies(deps, system);
  return { accounts, gridCells: areas.gridCells };
}

/**
 * A small generated registry (800 persons, about 320 households; ~1.5 s on PGlite) so the
 * registry pages and the benefit policies have people on first start. The ≥100k demo is
 * `minsheng residents generate --persons 100000`.
 */
export const DEMO_RESIDENTS = 800;
async function seedDemoResidents(deps: Deps, system: SystemActor, cells: { code: string; path: string; geometry: unknown }[]) {
  const today = new Date(deps.clock().getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
  const registry = generateRegistry({
    seed: `demo-${deps.districtCode}`,
    persons: DEMO_RESIDENTS,
    cells: cells.map((c) => ({ code: c.code, path: c.path, geometry: c.geometry as never })),
    referenceDate: today,
  });
  await residentsService.storeDemoRegistry(deps, system, registry, { replace: false });
}

export function formatAccounts(accounts: DemoAccount[]): string {
  const lines = [
    '演示账号（仅显示这一次）/ Demo accounts (shown once):',
    ...accounts.map((a) => `  ${a.username.padEnd(18)} ${a.password.padEnd(22)} ${a.role.padEnd(14)} ${a.scope}`),
  ];
  return lines.join('\n');
}
