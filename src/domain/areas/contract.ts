import { z } from 'zod';
import { areaCode } from '../../shared/contract';

export const AREA_LEVELS = ['district', 'subdistrict', 'community', 'grid_cell'] as const;
export const AreaLevel = z.enum(AREA_LEVELS);
export type AreaLevel = z.infer<typeof AreaLevel>;

export const CRS_VALUES = ['wgs84', 'gcj02', 'bd09'] as const;
export const CrsParam = z.enum(CRS_VALUES);

export const AreaCodeParams = z.object({ code: areaCode }).strict();
export const StaffParams = z.object({ code: areaCode, id: z.uuid() }).strict();

export const ListAreasQuery = z.object({ parent: areaCode.optional() }).strict();
export const GeoJsonQuery = z.object({ level: AreaLevel }).strict();

export const LocateQuery = z
  .object({
    lon: z.coerce.number().min(-180).max(180),
    lat: z.coerce.number().min(-90).max(90),
    crs: CrsParam.default('wgs84'),
  })
  .strict();
export type LocateQuery = z.infer<typeof LocateQuery>;

export const AddStaffBody = z
  .object({
    staffKind: z.string().regex(/^[a-z][a-z0-9_]{1,40}$/),
    name: z.string().trim().min(1).max(50),
    phone: z
      .string()
      .trim()
      .regex(/^[0-9+\- ]{3,20}$/, { message: 'phone: digits, +, - and spaces, 3–20 characters' })
      .optional(),
    userId: z.uuid().optional(),
  })
  .strict();
export type AddStaffBody = z.infer<typeof AddStaffBody>;

export interface AreaView {
  code: string;
  name: string;
  level: AreaLevel;
  parentCode: string | null;
  path: string;
  statisticalCode: string | null;
  isDemo: boolean;
  hasGeometry: boolean;
  childCount: number;
}

export interface StaffView {
  id: string;
  staffKind: string;
  staffKindName: string;
  name: string;
  phone: string | null;
  userId: string | null;
  isDemo: boolean;
}

export type LocateResult =
  | {
      inside: true;
      path: string;
      gridCell: { code: string; name: string } | null;
      community: { code: string; name: string } | null;
      subdistrict: { code: string; name: string } | null;
      district: { code: string; name: string };
      wgs84: [number, number];
    }
  | { inside: false; wgs84: [number, number]; message: { zh: string; en: string } };
