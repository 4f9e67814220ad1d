/**
 * Demo knowledge-base entries, written by the project for the demo district and labelled demo
 * (is_demo, "（演示）" in the answer, demo phone numbers starting with 100). Two of them have
 * already expired, so the expiry flags and the hidden suggestions can be seen at once.
 */
import type { AnyActor } from '../../shared/authz';
import { shanghaiDate } from './core/knowledge';
import { createKnowledge, type KnowledgeBody, type KnowledgeDeps } from './knowledge';
import * as repo from './knowledge.repo';

type Demo = Omit<KnowledgeBody, 'validUntil' | 'categoryCode'> & { validDays: number | null };

const DEMO: Demo[] = [
  {
    question: '居住证怎么办理？需要带哪些材料？',
    answer: '（演示）在本区居住满半年并有合法稳定就业、住所或连续就读之一的，可到居住地派出所或社区警务室申领居住证。请携带本人居民身份证、近期免冠照片，以及租房合同或房产证明、劳动合同或在读证明之一。材料齐全的当场受理，15个工作日内发证。咨询电话（演示）100-0000-0101。',
    policyBasis: '《居住证暂行条例》第二条、第九条',
    ownerUnit: 'department:public-security',
    keywords: ['居住证', '办理', '材料', '派出所'],
    validDays: 365,
  },
  {
    question: '小区路灯不亮找谁修？',
    answer: '（演示）小区内部道路的路灯属于小区共用设施，由物业服务企业维修；无物业的老旧小区由社区协调维修。市政道路路灯由区城市管理局负责，报修后一般3个工作日内修复。可直接拨打12345或城管报修电话（演示）100-0000-0102。',
    policyBasis: '《物业管理条例》第五十四条；本区市政设施维护规定（演示）',
    ownerUnit: 'department:urban-management',
    keywords: ['路灯', '不亮', '报修', '物业'],
    validDays: 365,
  },
  {
    question: '灵活就业人员怎样参加职工医保，缴费标准是多少？',
    answer: '（演示）无雇工的个体工商户、未在用人单位参保的非全日制从业人员和其他灵活就业人员，可持身份证到区社会保险服务窗口或通过网上服务大厅办理参保登记，按上年度全省全口径城镇单位就业人员平均工资的60%至300%之间自选缴费基数，费率以当年公布为准。',
    policyBasis: '《社会保险法》第二十三条',
    ownerUnit: 'department:human-resources',
    keywords: ['医保', '灵活就业', '缴费', '参保'],
    validDays: 200,
  },
  {
    question: '孩子上小学怎么报名？学区怎么划分？',
    answer: '（演示）义务教育阶段实行免试就近入学。每年5月区教育和体育局公布学区划分和报名时间，家长在网上报名平台填写户籍、房产或居住证信息，按学区顺位录取。具体以当年招生简章为准，咨询电话（演示）100-0000-0103。',
    policyBasis: '《义务教育法》第十二条',
    ownerUnit: 'department:education-sports',
    keywords: ['入学', '报名', '学区', '小学'],
    validDays: 120,
  },
  {
    question: '饭店油烟扰民怎么投诉处理？',
    answer: '（演示）居民楼内或临街餐饮油烟直排的，由区城市管理局（综合执法）依法查处，责令安装油烟净化设施并达标排放；拒不改正的依法处罚。请提供店名和地址，执法人员一般在5个工作日内到现场检查并答复。',
    policyBasis: '《大气污染防治法》第八十一条',
    ownerUnit: 'department:urban-management',
    keywords: ['油烟', '饭店', '餐饮', '扰民'],
    validDays: 365,
  },
  {
    question: '夜间施工噪音扰民怎么办？',
    answer: '（演示）除抢修、抢险作业外，22时至次日6时在居民区附近进行产生噪声的施工，须取得夜间施工证明并公告附近居民。无证夜间施工可拨打12345或生态环境举报电话，执法人员将到现场核查并依法处理。',
    policyBasis: '《噪声污染防治法》第四十三条',
    ownerUnit: 'department:environment',
    keywords: ['噪音', '施工', '夜间', '扰民'],
    validDays: 365,
  },
  {
    question: '低保怎么申请？需要什么条件？',
    answer: '（演示）共同生活的家庭成员人均收入低于当地最低生活保障标准、且家庭财产符合规定的，可向户籍所在地街道办事处提出书面申请，也可委托社区代办。街道在受理后进行家庭经济状况调查、入户核查和公示，区民政局审批。',
    policyBasis: '《社会救助暂行办法》第九条、第十一条',
    ownerUnit: 'department:civil-affairs',
    keywords: ['低保', '申请', '救助', '条件'],
    validDays: 365,
  },
  {
    question: '高龄津贴怎么领取？',
    answer: '（演示）本区户籍80周岁以上老年人可按月领取高龄津贴。本人或家属持身份证、户口簿到社区服务站申请，经街道审核、区民政局审批后按月发放到本人社保卡。',
    policyBasis: '本区高龄津贴发放办法（演示）',
    ownerUnit: 'department:civil-affairs',
    keywords: ['高龄津贴', '老年人', '领取'],
    validDays: 365,
  },
  {
    question: '2025年冬季供暖费补贴怎么申请？',
    answer: '（演示）低保、特困家庭的冬季供暖费补贴在供暖季开始前由社区统一申报，无需个人申请。本条政策已到期，新一季政策以区民政局通知为准。',
    policyBasis: '2025年冬季供暖补贴通知（演示）',
    ownerUnit: 'department:civil-affairs',
    keywords: ['供暖', '补贴', '暖气费'],
    validDays: -30,
  },
  {
    question: '老旧小区加装电梯有补贴吗？',
    answer: '（演示）符合条件的老旧住宅加装电梯，经业主协商一致并取得规划许可的，可申请财政补助。本条对应的补助标准已到期，请以区住房和城乡建设局最新公告为准。',
    policyBasis: '老旧小区加装电梯财政补助办法（演示，已到期）',
    ownerUnit: 'department:housing',
    keywords: ['加装电梯', '补贴', '老旧小区'],
    validDays: -10,
  },
  {
    question: '占道经营、流动摊贩谁来管？',
    answer: '（演示）城市道路、人行道上的占道经营由区城市管理局负责查处；请提供具体地点和时段，城管执法中队一般在2个工作日内到场处置。',
    policyBasis: '《城市市容和环境卫生管理条例》第十四条',
    ownerUnit: 'department:urban-management',
    keywords: ['占道经营', '摊贩', '城管'],
    validDays: null,
  },
  {
    question: '停水停电了去哪里查询原因？',
    answer: '（演示）计划停电信息由供电公司提前在网站和营业厅公告；突发停电可拨打95598报修。停水请联系供水企业客服。社区网格员可协助了解恢复时间。',
    policyBasis: '《电力供应与使用条例》第二十八条',
    ownerUnit: 'department:power-supply',
    keywords: ['停电', '停水', '查询'],
    validDays: 365,
  },
];

/** Seeds the demo entries once (nothing if any demo entry exists). */
export async function seedDemoKnowledge(deps: KnowledgeDeps, actor: AnyActor): Promise<number> {
  if ((await repo.countDemo(deps.db, actor.districtCode)) > 0) return 0;
  const today = deps.clock();
  for (const d of DEMO) {
    const { validDays, ...rest } = d;
    const validUntil = validDays === null ? null : shanghaiDate(new Date(today.getTime() + validDays * 86_400_000));
    await createKnowledge(deps, actor, { ...rest, categoryCode: null, validUntil }, { isDemo: true });
  }
  return DEMO.length;
}
