/**
 * Where people live, behind one seam. Coverage asks a `PopulationSource` for the population
 * of an area scope and gets places (a building, a courtyard, a grid cell's count) with counts
 * per sub-population. Two sources exist or will:
 *
 * - `pointsPopulationSource` (here): the module's own `population_points` — imported points or
 *   per-grid counts, or the generated demo population of the demo district;
 * - a registry-backed source (the 政策找人 resident registry): households geocoded to
 *   buildings, counted per building by group. It is plugged in by the composition root
 *   (src/server/compose.ts → `facilityPopulation`), e.g.
 *   `firstNonEmpty(registrySource, pointsPopulationSource)`, without touching this module.
 *
 * A source returns counts only — never persons. A place's label may be an address; coverage
 * masks labels in every list it returns.
 */
import type { Queryable } from '../../shared/db';
import type { PopulationGroup } from './core/standards';
import * as repo from './repo';
import { residentsService } from '../residents';

export interface PopulationPlace {
  /** stable within the source, e.g. `pp:123` or `bld:<building id>` */
  id: string;
  lon: number;
  lat: number;
  /** a building name or address; masked before it leaves the service */
  label: string | null;
  gridCellCode: string | null;
  communityCode: string | null;
  subdistrictCode: string | null;
  households: number;
  counts: Record<PopulationGroup, number>;
}

export interface PopulationLoad {
  /** which source answered: 'points', 'registry', … */
  source: string;
  /** true when any of the places is generated demo data */
  isDemo: boolean;
  places: PopulationPlace[];
}

export interface PopulationSource {
  readonly name: string;
  /** The places inside `scopePath` (an area path prefix) of the district. */
  load(q: Queryable, districtCode: string, scopePath: string): Promise<PopulationLoad>;
}

export const pointsPopulationSource: PopulationSource = {
  name: 'points',
  async load(q, districtCode, scopePath) {
    const rows = await repo.listPopulation(q, districtCode, scopePath);
    return {
      source: 'points',
      isDemo: rows.some((r) => r.is_demo),
      places: rows.map((r) => ({
        id: `pp:${r.id}`,
        lon: r.lon,
        lat: r.lat,
        label: r.label,
        gridCellCode: r.grid_cell_code,
        communityCode: r.community_code,
        subdistrictCode: r.subdistrict_code,
        households: r.households,
        counts: { all: r.people, aged60: r.aged60, aged70: r.aged70, children: r.children, disabled: r.disabled },
      })),
    };
  },
};

/** The first source that has anyone in the scope answers (a registry first, the points after). */
export function firstNonEmpty(...sources: PopulationSource[]): PopulationSource {
  return {
    name: sources.map((s) => s.name).join('|'),
    async load(q, districtCode, scopePath) {
      let last: PopulationLoad = { source: 'none', isDemo: false, places: [] };
      for (const s of sources) {
        last = await s.load(q, districtCode, scopePath);
        if (last.places.length > 0) return last;
      }
      return last;
    },
  };
}

/** Keep the start of a label and hide the rest: "演示楼栋 3702…" → "演示楼栋**". */
export function maskLabel(label: string | null): string | null {
  if (!label) return label;
  const keep = Math.min(4, Math.ceil(label.length / 3));
  return `${label.slice(0, keep)}**`;
}

/**
 * The resident registry (政策找人) as a population: living residents per building on today's
 * Shanghai date, counted by group. Area codes come from the building's area path
 * (/district/subdistrict/community/grid/).
 */
export function registryPopulationSource(today: () => string): PopulationSource {
  return {
    name: 'registry',
    async load(q, districtCode, scopePath) {
      const rows = await residentsService.populationByBuilding(q, districtCode, today(), scopePath);
      return {
        source: 'registry',
        isDemo: false,
        places: rows.map((r) => {
          const [, subdistrict, community] = r.area_path.split('/').filter(Boolean);
          return {
            id: `bld:${r.building_id}`,
            lon: r.lon,
            lat: r.lat,
            label: r.address,
            gridCellCode: r.grid_code,
            communityCode: community ?? null,
            subdistrictCode: subdistrict ?? null,
            households: r.households,
            counts: { all: r.people, aged60: r.aged60, aged70: r.aged70, children: r.children, disabled: r.disabled },
          };
        }),
      };
    },
  };
}
