/**
 * Demo 民生微实事 for the demo district, in the shape of the seeds' 经开区 line "民生微实事: 已收集
 * 项目14个, 正在筛选, 3个进入施工图设计": 14 proposals — 6 being screened, 1 accepted, 3 in
 * design, 1 under construction, 1 accepted on completion (验收), 1 merged, 1 rejected — with
 * supporters. Written by the project, deterministic (seeded PRNG), flagged is_demo; demo phone
 * numbers start with 100 (no real mobile number does). Stage dates count back from the seeding
 * day. Their notices are recorded as sent but never sent.
 */
import { createHash } from 'node:crypto';
import type { SystemActor } from '../../shared/authz';
import type { Db } from '../../shared/db';
import type { Clock } from '../../shared/clock';
import { recordAudit } from '../audit';
import { areasService, createRng } from '../areas';
import * as repo from './repo';
import { appendAct } from './service';
import type { MicroDeps } from './service';
import type { ProposalAct, ProposalEventData } from './core/lifecycle';
import { shanghaiDate } from './core/rules';

type Stage = 'submitted' | 'accepted' | 'design' | 'construction' | 'completed' | 'merged' | 'rejected';

const DEMO: { title: string; description: string; costYuan: number; stage: Stage }[] = [
  { title: '单元门口加装无障碍坡道', description: '楼门口三级台阶，坐轮椅的老人和推婴儿车的家长进出很不方便，建议加装一段无障碍坡道和扶手。', costYuan: 18_000, stage: 'design' },
  { title: '老楼楼道加装扶手', description: '老旧楼房楼梯陡，高龄老人上下楼吃力，建议在楼道一侧加装连续扶手。', costYuan: 26_000, stage: 'design' },
  { title: '口袋公园增设休息座椅', description: '社区口袋公园只有两张长椅，傍晚散步的老人没地方坐，建议增设 8 张带靠背的座椅。', costYuan: 12_000, stage: 'design' },
  { title: '修缮破损的人行道地砖', description: '小区主路人行道地砖松动破损，雨天踩上去溅水，夜里容易绊倒。', costYuan: 45_000, stage: 'construction' },
  { title: '小区路灯补亮', description: '小区北侧通道三盏路灯长期不亮，晚上回家一片漆黑。', costYuan: 9_500, stage: 'completed' },
  { title: '垃圾分类投放点加装雨棚', description: '投放点露天，下雨时垃圾桶进水、异味大，建议加装雨棚和洗手池。', costYuan: 32_000, stage: 'accepted' },
  { title: '增设电动自行车集中充电桩', description: '居民私拉电线给电动车充电有火灾隐患，建议在车棚增设集中充电桩。', costYuan: 60_000, stage: 'submitted' },
  { title: '楼院增设公共晾衣架', description: '老旧楼院没有晾晒场地，居民在绿地拉绳晾衣，建议设置可收纳的公共晾衣架。', costYuan: 8_000, stage: 'submitted' },
  { title: '社区活动室更新健身器材', description: '活动室器材老化，跑步机已坏，建议更新适合老年人的健身器材。', costYuan: 38_000, stage: 'submitted' },
  { title: '雨水井疏通改造解决积水', description: '每逢大雨小区入口积水没过脚踝，建议疏通并改造雨水井。', costYuan: 52_000, stage: 'submitted' },
  { title: '社区文化墙翻新', description: '文化墙褪色剥落，建议结合垃圾分类、邻里互助主题翻新。', costYuan: 15_000, stage: 'submitted' },
  { title: '楼前空地划设临时停车位', description: '楼前空地车辆乱停，消防通道被占，建议规范划线。', costYuan: 20_000, stage: 'submitted' },
  { title: '快递柜旁加装遮雨棚', description: '快递柜在露天，雨天取件被淋，与投放点雨棚可一起建设。', costYuan: 10_000, stage: 'merged' },
  { title: '小区围墙外加装监控探头', description: '围墙外小路偶有车辆被划，建议加装监控。', costYuan: 30_000, stage: 'rejected' },
];

const sha = (s: string) => createHash('sha256').update(s).digest('hex');

function daysBefore(today: string, days: number): string {
  return new Date(new Date(`${today}T00:00:00Z`).getTime() - days * 86_400_000).toISOString().slice(0, 10);
}

export async function seedDemoMicro(deps: { db: Db; clock: Clock; districtCode: string; locators: MicroDeps['locators']; sms: MicroDeps['sms'] }, actor: SystemActor): Promise<{ proposals: number; supports: number }> {
  const rng = createRng(`micro-${deps.districtCode}`);
  const cells = await areasService.listAreaRows(deps.db, deps.districtCode, 'grid_cell');
  if (cells.length === 0) return { proposals: 0, supports: 0 };
  const now = deps.clock();
  const today = shanghaiDate(now);
  const year = Number(today.slice(0, 4));
  let phone = 0;
  const demoPhone = () => `1009${String(++phone).padStart(7, '0')}`;
  // Half of the proposals in one street (the demo street admin's), the rest spread out.
  const firstStreet = cells[0]!.path.split('/')[2];
  const streetCells = cells.filter((c) => c.path.split('/')[2] === firstStreet);
  let supports = 0;
  const hashOf = (p: string) => sha(`micro:${deps.districtCode}:${p}`);
  return deps.db.transaction(async (tx) => {
    const ids: string[] = [];
    for (const [i, d] of DEMO.entries()) {
      const pool = i % 2 === 0 && streetCells.length ? streetCells : cells;
      const cell = pool[Math.floor(rng() * pool.length)]!;
      const codes = cell.path.split('/').filter(Boolean);
      const proposer = demoPhone();
      const createdDaysAgo = 150 - i * 6;
      const createdAt = new Date(now.getTime() - createdDaysAgo * 86_400_000);
      const number = await repo.nextNumber(tx, deps.districtCode, year);
      const id = await repo.insertProposal(tx, {
        districtCode: deps.districtCode,
        number,
        title: d.title,
        description: `${d.description}（演示数据）`,
        lon: null,
        lat: null,
        address: `${cell.name}（演示地址）`,
        areaCode: cell.code,
        communityCode: codes[2] ?? null,
        subdistrictCode: codes[1]!,
        areaPath: cell.path,
        estimatedCostFen: d.costYuan * 100,
        proposerPhone: proposer,
        proposerPhoneHash: hashOf(proposer),
        createdAt,
        idempotencyKey: null,
        isDemo: true,
      });
      await repo.appendEvent(tx, { districtCode: deps.districtCode, proposalId: id, seq: 1, event: { kind: 'submitted', at: createdAt.toISOString(), actorId: null }, actorRole: 'resident:public' });
      const n = 3 + Math.floor(rng() * 30);
      for (let k = 0; k < n; k++) {
        const p = demoPhone();
        await repo.insertSupport(tx, { districtCode: deps.districtCode, proposalId: id, phoneHash: hashOf(p), phone: p, at: new Date(createdAt.getTime() + (k + 1) * 3_600_000), isDemo: true });
      }
      supports += n;
      ids.push(id);
    }
    const steps: Record<Stage, [ProposalAct, (date: string) => ProposalEventData][]> = {
      submitted: [],
      accepted: [['accept', (date) => ({ kind: 'accepted', reason: '居民需求集中，符合微实事范围，予以采纳。', date, costFen: 0 })]],
      design: [],
      construction: [],
      completed: [],
      merged: [],
      rejected: [['reject', (date) => ({ kind: 'rejected', reason: '属于公安技防建设范围，已转区公安分局统筹，不列入微实事。', date })]],
    };
    steps.design = [...steps.accepted, ['startDesign', (date) => ({ kind: 'design_started', date, note: '委托设计单位开展施工图设计。' })]];
    steps.construction = [...steps.design, ['startConstruction', (date) => ({ kind: 'construction_started', date, note: '施工单位进场。' })]];
    steps.completed = [...steps.construction, ['completeAcceptance', (date) => ({ kind: 'completed', date, note: '街道、社区和居民代表联合验收合格。' })]];
    const rainShelter = ids[DEMO.findIndex((d) => d.title.startsWith('垃圾分类'))]!;
    const shelterNumber = (await repo.findProposal(tx, deps.districtCode, rainShelter))!.number;
    steps.merged = [['merge', (date) => ({ kind: 'merged', reason: '与垃圾投放点雨棚同址，合并设计施工。', date, into: rainShelter, intoNumber: shelterNumber })]];

    const microDeps = { ...deps, db: deps.db } as MicroDeps;
    for (const [i, d] of DEMO.entries()) {
      const id = ids[i]!;
      let daysAgo = 120 - i * 5;
      for (const [act, make] of steps[d.stage]) {
        const p = (await repo.findProposal(tx, deps.districtCode, id))!;
        const data = make(daysBefore(today, daysAgo));
        if (data.kind === 'accepted') data.costFen = p.estimated_cost_fen;
        await appendAct(microDeps, tx, actor, p, act, data);
        daysAgo = Math.max(0, daysAgo - 25);
      }
      await repo.markDemoNotificationsSent(tx, id, now);
    }
    await recordAudit(tx, deps.clock, actor, { action: 'micro.seedDemo', detail: { proposals: DEMO.length, supports } });
    return { proposals: DEMO.length, supports };
  });
}
