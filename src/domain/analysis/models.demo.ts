/**
 * The project's own demo training set (演示数据, written by the project, not real messages): short
 * citizen messages for each leaf of the demo catalogue, generated from phrase lists with a seeded
 * PRNG and the district's place names. It gives a fresh demo district an active model so that
 * the dispatcher sees top-3 suggestions at once; a real district trains on its closed tickets.
 */
import { mulberry32 } from './core/rng';

const PHRASES: Record<string, string[]> = {
  'urban.appearance.stall': ['路边有人摆摊占道经营', '流动摊贩占用人行道卖水果', '早市摊点占道影响通行', '夜市烧烤摊占道经营到半夜'],
  'urban.appearance.litter': ['楼道和路边乱堆乱放杂物', '建筑垃圾堆在路边没人清理', '小区门口垃圾堆积发臭', '有人在绿化带乱倒垃圾'],
  'urban.appearance.fumes': ['楼下饭店油烟直排熏得开不了窗', '餐馆排油烟管道对着住户', '烧烤店油烟太大', '饭店油烟净化器不开'],
  'urban.appearance.noise': ['晚上广场舞音响声音太大', '商铺大喇叭循环播放扰民', '夜里酒吧噪音扰民', '楼下KTV噪音吵得睡不着'],
  'urban.facility.road': ['路面坑洼破损车辆颠簸', '人行道地砖松动翘起', '道路塌陷出现大坑', '马路破损积水很危险'],
  'urban.facility.manhole': ['井盖丢失有安全隐患', '窨井盖破损松动', '路上井盖缺失有人差点掉下去', '雨水井盖下沉'],
  'urban.facility.drain': ['下雨后路面积水排水不畅', '下水道堵塞污水外溢', '雨水口被堵住', '排水管道反味堵塞'],
  'urban.facility.streetlight': ['路灯不亮晚上一片漆黑', '好几盏路灯坏了没人修', '路灯白天亮晚上不亮', '小区外面的路灯不亮'],
  'housing.property.service': ['物业不打扫卫生还涨物业费', '物业服务差门禁坏了不修', '物业公司不作为', '物业乱收停车费'],
  'housing.property.elevator': ['电梯经常故障困人', '电梯坏了一周没人修', '老楼电梯异响不安全', '电梯按钮失灵'],
  'housing.renewal.works': ['老旧小区改造施工噪音太大', '改造工地晚上还在施工', '施工围挡占路扬尘大', '小区改造挖开的路一直不恢复'],
  'civil.elderly.subsidy': ['高龄补贴怎么申请', '八十岁老人高龄津贴没发放', '咨询高龄补贴发放时间', '老人补贴停发了'],
  'civil.elderly.meals': ['社区助老食堂什么时候开', '老年食堂饭菜价格咨询', '希望附近开助老餐厅', '助老食堂送餐服务怎么办理'],
  'civil.assistance.dibao': ['低保怎么申请需要什么材料', '低保金迟迟没有到账', '咨询低保审核进度', '家庭困难想申请低保'],
  'health.service.vaccine': ['疫苗接种点在哪里', '孩子打疫苗预约不上', '社区卫生服务中心疫苗缺货', '咨询流感疫苗接种时间'],
  'environment.pollution.air': ['工厂排放废气有刺鼻气味', '工地扬尘污染严重', '附近有人焚烧垃圾空气很差', '烟囱冒黑烟'],
  'power.supply.outage': ['小区突然停电', '整栋楼停电很久没有来电', '频繁停电影响生活', '停电了也没有通知'],
  'labour.wages.arrears': ['公司拖欠工资几个月', '工地老板欠农民工工资', '辞职后工资不给结清', '单位拖欠加班费'],
  'education.school.enrolment': ['孩子入学划片咨询', '小学入学报名需要什么材料', '幼儿园入园名额不够', '转学手续怎么办理'],
};

const OPENERS = ['', '您好，', '反映一下，', '市民来电反映：', '我是附近居民，'];
const CLOSERS = ['', '希望尽快处理。', '请有关部门管一管。', '已经反映过多次了。', '谢谢！'];

/** Demo rows: text and leaf category code, deterministic for the seed. */
export function demoTrainingRows(places: readonly string[], perLabel = 16, seed = 370202): { text: string; label: string }[] {
  const rng = mulberry32(seed);
  const pick = <T>(a: readonly T[]): T => a[Math.floor(rng() * a.length)]!;
  const where = places.length ? places : ['小区'];
  const rows: { text: string; label: string }[] = [];
  for (const [label, phrases] of Object.entries(PHRASES)) {
    for (let i = 0; i < perLabel; i++) {
      const a = pick(phrases);
      const b = rng() < 0.4 ? pick(phrases) : '';
      rows.push({ text: `${pick(OPENERS)}${pick(where)}${a}${b ? `，${b}` : ''}。${pick(CLOSERS)}`, label });
    }
  }
  return rows;
}

export const DEMO_LABELS = Object.keys(PHRASES);
