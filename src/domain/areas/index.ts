/** The areas module's public face: the only file other modules import. */
export * as areasService from './service';
export type { AreasDeps, GeoJsonImportResult, DivisionImportResult } from './service';
export { LocatorCache, DistrictLocator } from './locator';
export { areasRoutes } from './routes';
export type { AreaLevel, AreaView, LocateResult } from './contract';
export { AREA_LEVELS, CRS_VALUES } from './contract';
export { readDivision } from './division';
export { createRng } from './core/demo-geometry';
export type { Crs } from './core/crs';
export { pointToWgs84 } from './core/crs';
export type { AreaGeometry, Position } from './core/geometry';
