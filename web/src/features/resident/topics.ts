import type { ReportBody } from './residentApi';

/** Common topics offered to residents (the full catalogue needs a login), with their category codes. */
export const TOPICS = [
  { key: 'road', categoryCode: 'urban.facility.road', type: 'help' },
  { key: 'manhole', categoryCode: 'urban.facility.manhole', type: 'help' },
  { key: 'streetlight', categoryCode: 'urban.facility.streetlight', type: 'help' },
  { key: 'drain', categoryCode: 'urban.facility.drain', type: 'help' },
  { key: 'stall', categoryCode: 'urban.appearance.stall', type: 'complaint' },
  { key: 'noise', categoryCode: 'urban.appearance.noise', type: 'complaint' },
  { key: 'fumes', categoryCode: 'urban.appearance.fumes', type: 'complaint' },
  { key: 'elevator', categoryCode: 'housing.property.elevator', type: 'help' },
  { key: 'outage', categoryCode: 'power.supply.outage', type: 'help' },
  { key: 'other', categoryCode: null, type: 'help' },
] as const satisfies readonly { key: string; categoryCode: string | null; type: ReportBody['type'] }[];

export type TopicKey = (typeof TOPICS)[number]['key'];
