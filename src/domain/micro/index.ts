/** The micro module's (民生微实事) public face: the only file other modules import. */
export * as microService from './service';
export type { MicroDeps, ProposalView, RoundView } from './service';
export { microRoutes, publicMicroRoutes } from './routes';
export { seedDemoMicro } from './demo';
export { STATUSES as MICRO_STATUSES, STATUS_NAMES as MICRO_STATUS_NAMES, ACTS_BY_STATUS as MICRO_ACTS_BY_STATUS } from './core/lifecycle';
