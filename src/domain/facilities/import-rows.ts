/**
 * Reading an import file into rows of named cells, whatever it was: CSV (UTF-8, a header row),
 * an Excel workbook (the first sheet, a header row) or GeoJSON (Point features; properties are
 * the cells, the point gives lon/lat). Header names may be Chinese or English; `pick` finds a
 * cell by any of its names. A file that cannot be read at all is one 400; a bad row is reported
 * with its row number and the rest go on.
 */
import ExcelJS from 'exceljs';
import { parse } from 'csv-parse/sync';
import { AppError } from '../../shared/errors';

export interface RawRow {
  /** the row as the clerk sees it: line in the CSV / row in the sheet / feature number (1-based) */
  row: number;
  cells: Record<string, string>;
}

const bad = (zh: string, en: string) => new AppError('validation_failed', { zh, en });
const norm = (h: string) => h.trim().toLowerCase().replace(/[\s_\-（）()]/g, '');

function normalise(record: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(record)) {
    if (v === null || v === undefined) continue;
    const s = typeof v === 'object' && v !== null && 'text' in v ? String((v as { text: unknown }).text) : String(v as string | number | boolean);
    if (s.trim() !== '') out[norm(k)] = s.trim();
  }
  return out;
}

export function parseCsv(text: string): RawRow[] {
  let records: Record<string, unknown>[];
  try {
    records = parse(text.replace(/^\uFEFF/, ''), { columns: true, skip_empty_lines: true, trim: true, relax_column_count: true }) as Record<string, unknown>[];
  } catch (e) {
    throw bad(`CSV 文件无法解析：${(e as Error).message}`, `The CSV file cannot be parsed: ${(e as Error).message}`);
  }
  return records.map((r, i) => ({ row: i + 2, cells: normalise(r) }));
}

export async function parseXlsx(base64: string): Promise<RawRow[]> {
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(Buffer.from(base64, 'base64') as unknown as ArrayBuffer);
  } catch {
    throw bad('Excel 文件无法读取（应为 .xlsx 工作簿）', 'The Excel file cannot be read (expected an .xlsx workbook)');
  }
  const sheet = wb.worksheets[0];
  if (!sheet) throw bad('Excel 工作簿没有工作表', 'The workbook has no sheet');
  const header: string[] = [];
  sheet.getRow(1).eachCell((cell, col) => (header[col] = String(cell.text ?? '')));
  const rows: RawRow[] = [];
  sheet.eachRow((row, n) => {
    if (n === 1) return;
    const rec: Record<string, unknown> = {};
    row.eachCell((cell, col) => {
      if (header[col]) rec[header[col]] = cell.text;
    });
    const cells = normalise(rec);
    if (Object.keys(cells).length > 0) rows.push({ row: n, cells });
  });
  return rows;
}

export function parseGeoJsonPoints(text: string | unknown): RawRow[] {
  let doc: unknown = text;
  if (typeof text === 'string') {
    try {
      doc = JSON.parse(text.replace(/^\uFEFF/, ''));
    } catch {
      throw bad('GeoJSON 不是合法的 JSON', 'The GeoJSON is not valid JSON');
    }
  }
  const features = doc && typeof doc === 'object' && (doc as { type?: unknown }).type === 'FeatureCollection' ? (doc as { features?: unknown }).features : null;
  if (!Array.isArray(features)) throw bad('文件不是 GeoJSON FeatureCollection', 'The file is not a GeoJSON FeatureCollection');
  return features.map((f: unknown, i) => {
    const props = f && typeof f === 'object' && 'properties' in f && f.properties && typeof f.properties === 'object' ? (f.properties as Record<string, unknown>) : {};
    const geom = f && typeof f === 'object' && 'geometry' in f ? (f.geometry as { type?: unknown; coordinates?: unknown } | null) : null;
    const cells = normalise(props);
    if (geom?.type === 'Point' && Array.isArray(geom.coordinates)) {
      cells.lon = String(geom.coordinates[0]);
      cells.lat = String(geom.coordinates[1]);
    } else {
      cells.__geometry = geom?.type ? String(geom.type as string) : 'none';
    }
    return { row: i + 1, cells };
  });
}

/** The first non-empty cell under any of the names. */
export function pick(cells: Record<string, string>, ...names: string[]): string | undefined {
  for (const n of names) {
    const v = cells[norm(n)];
    if (v !== undefined && v !== '') return v;
  }
  return undefined;
}
