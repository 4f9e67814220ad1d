/** The projects module's (民生实事) public face: the only file other modules import. */
export { findProjectItem, type ProjectItemLink } from './link';
export { STATUSES, STATUS_NAMES, type ProjectStatus } from './core/derive';
export * as projectsService from './service';
export type { ProjectsDeps, ProjectsSummary } from './service';
export { projectsRoutes, publicProjectsRoutes } from './routes';
export { summaryWorkbook, summaryPdf, exportItems, importItems } from './export';
export { seedDemoProjects } from './demo';
