/** The resident registry (人口信息): the only file other modules import. */
export { SPECIAL_STATUSES, FACTS_COLUMNS } from './facts';
export type { PersonFacts, SpecialStatus, Sex, MaritalStatus, HukouType } from './facts';
export { factsAt, factsSql, factsBySql, factsFromRow, type PersonFactsRow } from './repo';
export { computeFacts, type FactsInput, type FactsPerson } from './core/compute-facts';
export { generateRegistry, DEMO_BENEFIT_CODES, type GenerateOptions, type GeneratorCell } from './core/generate';
export type { Registry, PersonRec, HouseholdRec, BuildingRec, PersonVersionRec, MembershipRec, IncomeRec, StatusRec, ReceiptRec } from './core/registry';
export { holdsOn } from './core/registry';
export { checkIdNumber, makeIdNumber, maskIdNumber, maskPhoneNumber, maskName } from './core/id-number';
export { addDays, addYears, dayNumber, isIsoDate } from './core/dates';
export { PiiVault } from './pii';
export * as residentsService from './service';
export type { ResidentsDeps } from './service';
export { residentsRoutes } from './routes';
export { importResidents, type ImportReport, type ReportRow } from './import';
export { storeDemoRegistry, personCards, recordCorrection, type PersonCard } from './service';
