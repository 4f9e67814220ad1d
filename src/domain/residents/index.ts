/** The resident registry (人口信息): the only file other modules import. */
export { SPECIAL_STATUSES } from './facts';
export type { PersonFacts, SpecialStatus, Sex, MaritalStatus, HukouType } from './facts';
