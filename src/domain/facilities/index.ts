/** The facilities module's public face (服务圈): the only file other modules import. */
export * as facilitiesService from './service';
export type { FacilitiesDeps, CoverageReport, SitingReport, FacilityView, FacilityTypeView, ImportReport, KpiRow } from './service';
export { facilitiesRoutes, publicFacilityRoutes } from './routes';
export { coverageWorkbook } from './export';
export { pointsPopulationSource, registryPopulationSource, firstNonEmpty, maskLabel } from './population';
export type { PopulationSource, PopulationLoad, PopulationPlace } from './population';
export { DEFAULT_FACILITY_TYPES, POPULATION_GROUPS, GROUP_NAMES, reachMetres, describeStandard } from './core/standards';
export type { PopulationGroup, Standard, StandardMode } from './core/standards';
export { COVERAGE_LEVELS, FACILITY_STATUSES } from './contract';
