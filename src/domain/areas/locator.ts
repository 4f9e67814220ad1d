/**
 * The point → area lookup every module uses (ticket intake, facilities, residents). Boundaries
 * are loaded once per district into an in-process index (see core/spatial-index.ts) and
 * rebuilt after an import; the database stays the system of record.
 *
 * The finest level that has geometry answers first: a grid cell if cells have boundaries,
 * otherwise the community, the subdistrict, or at least the district outline.
 */
import type { Queryable } from '../../shared/db';
import { AreaPointIndex } from './core/spatial-index';
import type { AreaLevel, LocateResult } from './contract';
import * as repo from './repo';
import type { Position } from './core/geometry';

interface AreaNode {
  code: string;
  name: string;
  level: AreaLevel;
  parentCode: string | null;
  path: string;
}

export class DistrictLocator {
  private constructor(
    readonly districtCode: string,
    private readonly nodes: Map<string, AreaNode>,
    private readonly indexes: AreaPointIndex<string>[],
  ) {}

  static async load(q: Queryable, districtCode: string): Promise<DistrictLocator> {
    const rows = await repo.listAreaShapes(q, districtCode, `/${districtCode}/`);
    const nodes = new Map<string, AreaNode>();
    const byLevel: Record<AreaLevel, { value: string; geometry: NonNullable<repo.AreaShapeRow['geometry']> }[]> = {
      grid_cell: [],
      community: [],
      subdistrict: [],
      district: [],
    };
    for (const r of rows) {
      nodes.set(r.code, { code: r.code, name: r.name, level: r.level, parentCode: r.parent_code, path: r.path });
      if (r.geometry) byLevel[r.level].push({ value: r.code, geometry: r.geometry });
    }
    const indexes = (['grid_cell', 'community', 'subdistrict', 'district'] as const)
      .filter((level) => byLevel[level].length > 0)
      .map((level) => AreaPointIndex.build(byLevel[level]));
    return new DistrictLocator(districtCode, nodes, indexes);
  }

  get cellCount(): number {
    return this.indexes[0]?.size ?? 0;
  }

  /** The code of the finest area containing the point, or undefined outside every boundary. */
  locateCode(lon: number, lat: number): string | undefined {
    for (const index of this.indexes) {
      const hit = index.locate(lon, lat);
      if (hit !== undefined) return hit;
    }
    return undefined;
  }

  locate(wgs84: Position): LocateResult {
    const code = this.locateCode(wgs84[0], wgs84[1]);
    const found = code ? this.nodes.get(code) : undefined;
    if (!found) {
      return {
        inside: false,
        wgs84,
        message: { zh: '该位置不在本区范围内', en: 'This location is outside the district' },
      };
    }
    const chain: Partial<Record<AreaLevel, { code: string; name: string }>> = {};
    for (let n: AreaNode | undefined = found; n; n = n.parentCode ? this.nodes.get(n.parentCode) : undefined) {
      chain[n.level] = { code: n.code, name: n.name };
    }
    return {
      inside: true,
      path: found.path,
      gridCell: chain.grid_cell ?? null,
      community: chain.community ?? null,
      subdistrict: chain.subdistrict ?? null,
      district: chain.district ?? { code: this.districtCode, name: '' },
      wgs84,
    };
  }
}

/** Holds one locator per district, loaded on first use and dropped when boundaries change. */
export class LocatorCache {
  private readonly loaded = new Map<string, Promise<DistrictLocator>>();

  get(q: Queryable, districtCode: string): Promise<DistrictLocator> {
    let p = this.loaded.get(districtCode);
    if (!p) {
      p = DistrictLocator.load(q, districtCode);
      this.loaded.set(districtCode, p);
      p.catch(() => this.loaded.delete(districtCode));
    }
    return p;
  }

  invalidate(districtCode: string): void {
    this.loaded.delete(districtCode);
  }
}
