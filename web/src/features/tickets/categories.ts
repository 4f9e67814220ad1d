import type { TicketCategory } from '../../shared/types';

export interface CategoryOption {
  value: string;
  label: string;
  children?: CategoryOption[];
}

/** The flat catalogue as a Cascader tree (active categories only), in the given language. */
export function categoryTree(items: readonly TicketCategory[], en: boolean): CategoryOption[] {
  const active = items.filter((c) => c.active);
  const build = (parent: string | null): CategoryOption[] =>
    active
      .filter((c) => c.parentCode === parent)
      .map((c) => {
        const children = build(c.code);
        return { value: c.code, label: en && c.nameEn ? c.nameEn : c.name, ...(children.length ? { children } : {}) };
      });
  return build(null);
}

/** The path of codes from the root to `code`, as a Cascader value. */
export function categoryPath(items: readonly TicketCategory[], code: string | null | undefined): string[] {
  const path: string[] = [];
  for (let c = items.find((x) => x.code === code); c; c = items.find((x) => x.code === c!.parentCode)) path.unshift(c.code);
  return path;
}
