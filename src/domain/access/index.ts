/** The access module's public face: the only file other modules import. */
export * as accessService from './service';
export type { AccessDeps } from './service';
export { accessRoutes, SESSION_COOKIE } from './routes';
export { AttemptWindow, passwordProblems } from './core/login-throttle';
export { AddUserBody, ListUsersQuery, LoginBody } from './contract';
export type { MeView, UserView } from './contract';
export { SessionCache } from './core/session-cache';
