/** The Open311 module's public face: the only file other modules (and the composition roots) import. */
export * as open311Service from './service';
export type { Open311Deps } from './service';
export { open311Routes, OPEN311_PREFIX } from './routes';
export { open311KeyRoutes } from './keys-routes';
export * as open311Contract from './contract';
