import type { Me } from '../../shared/types';

/** What each workbench module needs; the server checks the same permissions on every call. */
export const access = {
  map: (user: Me) => user.role !== 'resident',
  areas: (user: Me) => user.permissions.includes('areas.manage') || user.permissions.includes('areas.read'),
  areasManage: (user: Me) => user.permissions.includes('areas.manage'),
  users: (user: Me) => user.permissions.includes('users.read'),
  usersManage: (user: Me) => user.permissions.includes('users.manage'),
  audit: (user: Me) => user.permissions.includes('audit.read'),
  /** 工单 queue: staff who read tickets across an area (a handler works from 我的待办). */
  tickets: (user: Me) => user.permissions.includes('tickets.read') && user.role !== 'handler',
  ticketDetail: (user: Me) => user.permissions.includes('tickets.read'),
  ticketsCreate: (user: Me) => user.permissions.includes('tickets.create'),
  inbox: (user: Me) => user.permissions.includes('tickets.handle'),
  /** 网格巡查: grid workers report what they find on their rounds. */
  patrol: (user: Me) => user.role === 'grid_worker',
  dashboard: (user: Me) => user.permissions.includes('tickets.stats'),
  /** 接诉即办配置: catalogue, routing, time limits, Open311 keys. */
  ticketConfig: (user: Me) => user.permissions.includes('tickets.configure'),
  /** 服务圈: coverage, siting, what-if */
  facilities: (user: Me) => user.permissions.includes('facilities.read'),
  /** Reveal a requester's full phone number (audited). */
  personalRead: (user: Me) => user.permissions.includes('personal.read'),
  /** 热点问题, 主动治理, 知识库 (analysis insights). */
  hotIssues: (user: Me) => user.permissions.includes('analysis.read'),
  proactiveTasks: (user: Me) => user.permissions.includes('tickets.read') && ['grid_worker', 'dispatcher', 'leader', 'admin'].includes(user.role),
  knowledge: (user: Me) => user.permissions.includes('knowledge.read'),
  knowledgeManage: (user: Me) => user.permissions.includes('knowledge.manage'),
  /** 民生微实事: screening, stages and vote rounds of the street. */
  micro: (user: Me) => user.permissions.includes('micro.screen'),
  /** 分类模型 page (versions, metrics, retraining). */
  model: (user: Me) => user.permissions.includes('analysis.read'),
  /** 民生实事: every staff member reads the programme and the summary. */
  projects: (user: Me) => user.permissions.includes('projects.read'),
  /** 政策找人: the officer's pages, and a grid worker's visit list. */
  benefits: (user: Me) => user.permissions.includes('benefits.read') || user.permissions.includes('benefits.visit'),
  /** 人口信息: masked registry search, person and household pages; import for those who manage it. */
  residents: (user: Me) => user.permissions.includes('residents.read'),
  residentsManage: (user: Me) => user.permissions.includes('residents.manage'),
};
