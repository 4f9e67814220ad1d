/**
 * An area path is the chain of area codes from the district down, written `/370202/370202001/`.
 * Scope checks are prefix checks, in SQL (`path LIKE $scope || '%'`) and here.
 */
export type AreaPath = string & { readonly __brand: 'AreaPath' };

const PATH_RE = /^(\/[0-9]{6,18})+\/$/;

export function isAreaPath(s: string): s is AreaPath {
  return PATH_RE.test(s);
}

export function areaPath(codes: readonly string[]): AreaPath {
  const p = `/${codes.join('/')}/`;
  if (!isAreaPath(p)) throw new Error(`not an area path: ${p}`);
  return p;
}

export function childPath(parent: AreaPath, code: string): AreaPath {
  return areaPath([...codesOf(parent), code]);
}

export function codesOf(path: AreaPath): string[] {
  return path.split('/').filter(Boolean);
}

/** True when `target` lies within `scope` (the same area or below it). */
export function isWithin(target: string, scope: string): boolean {
  return target.startsWith(scope);
}

export function districtCodeOf(path: AreaPath): string {
  const first = codesOf(path)[0];
  if (!first) throw new Error('empty area path');
  return first;
}
