/** Special statuses kept as dated facts (valid_from / valid_to) in the registry. Data, not code: */
export const SPECIAL_STATUSES = [
  'dibao', // 低保
  'dibao_edge', // 低保边缘
  'tekun', // 特困供养
  'living_alone', // 独居老人
  'empty_nest', // 空巢老人
  'veteran', // 退役军人
  'poverty_watch', // 防止返贫监测对象
  'pregnancy_planned', // 计划怀孕（孕前优生检查）
  'floating_policy', // 流动人口政策内
] as const;
export type SpecialStatus = (typeof SPECIAL_STATUSES)[number];
