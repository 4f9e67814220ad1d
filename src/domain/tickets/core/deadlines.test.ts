import { describe, expect, it } from 'vitest';
import { resolveTimeLimit, suggestUnits, type TimeLimit } from './deadlines';

const L = (p: Partial<TimeLimit>): TimeLimit => ({ ticketType: null, categoryCode: null, urgency: null, acceptWorkingHours: 2, handleWorkingDays: 10, handleWorkingHours: null, ...p });

describe('resolveTimeLimit', () => {
  const limits = [L({}), L({ ticketType: 'consultation', handleWorkingDays: 3 }), L({ urgency: 'emergency', handleWorkingDays: null, handleWorkingHours: 4 }), L({ categoryCode: 'urban.road', handleWorkingDays: 5 })];
  it('falls back to the default row', () => {
    expect(resolveTimeLimit(limits, { type: 'complaint', categoryChain: [], urgency: 'normal' })?.handleWorkingDays).toBe(10);
  });
  it('prefers urgency over category over type', () => {
    expect(resolveTimeLimit(limits, { type: 'consultation', categoryChain: ['urban', 'urban.road'], urgency: 'emergency' })?.handleWorkingHours).toBe(4);
    expect(resolveTimeLimit(limits, { type: 'consultation', categoryChain: ['urban', 'urban.road', 'urban.road.pothole'], urgency: 'normal' })?.handleWorkingDays).toBe(5);
    expect(resolveTimeLimit(limits, { type: 'consultation', categoryChain: ['health'], urgency: 'normal' })?.handleWorkingDays).toBe(3);
  });
});

describe('suggestUnits', () => {
  const routes = [
    { categoryCode: 'urban', areaPath: null, unit: 'department:urban-management', reason: '职能: 城管' },
    { categoryCode: 'urban.stall', areaPath: null, unit: 'subdistrict:local', reason: '属地管理' },
    { categoryCode: 'urban.stall', areaPath: '/370202/370202010/', unit: 'department:market-regulation', reason: '湛山街道: 市场监管' },
  ];
  it('orders the most specific route first and resolves 属地', () => {
    const s = suggestUnits(routes, { categoryChain: ['urban', 'urban.stall'], areaPath: '/370202/370202010/370202010001/', subdistrictCode: '370202010' });
    expect(s.map((x) => x.unit)).toEqual(['department:market-regulation', 'subdistrict:370202010', 'department:urban-management']);
  });
  it('ignores routes of other categories and areas', () => {
    const s = suggestUnits(routes, { categoryChain: ['urban', 'urban.stall'], areaPath: '/370202/370202001/', subdistrictCode: '370202001' });
    expect(s.map((x) => x.unit)).toEqual(['subdistrict:370202001', 'department:urban-management']);
    expect(suggestUnits(routes, { categoryChain: ['health'], areaPath: '/370202/', subdistrictCode: null })).toEqual([]);
  });
});
