import type { Me } from '../../shared/types';

/** What each workbench module needs; the server checks the same permissions on every call. */
export const access = {
  map: (user: Me) => user.role !== 'resident',
  areas: (user: Me) => user.permissions.includes('areas.manage') || user.permissions.includes('areas.read'),
  areasManage: (user: Me) => user.permissions.includes('areas.manage'),
  users: (user: Me) => user.permissions.includes('users.read'),
  usersManage: (user: Me) => user.permissions.includes('users.manage'),
  audit: (user: Me) => user.permissions.includes('audit.read'),
};
