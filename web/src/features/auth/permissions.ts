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
  dashboard: (user: Me) => user.permissions.includes('tickets.stats'),
  /** Reveal a requester's full phone number (audited). */
  personalRead: (user: Me) => user.permissions.includes('personal.read'),
  /** 政策找人: the officer's pages, and a grid worker's visit list. */
  benefits: (user: Me) => user.permissions.includes('benefits.read') || user.permissions.includes('benefits.visit'),
  /** 人口信息: masked registry search, person and household pages; import for those who manage it. */
  residents: (user: Me) => user.permissions.includes('residents.read'),
  residentsManage: (user: Me) => user.permissions.includes('residents.manage'),
};
