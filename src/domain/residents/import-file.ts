/**
 * Reading an import file into a header row and text cells: CSV (UTF-8, with or without BOM, or
 * GBK as Excel on Chinese Windows saves it) or the first sheet of an .xlsx workbook. Excel
 * dates become YYYY-MM-DD; an ID number Excel stored as a number (precision lost) is reported.
 */
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { AppError } from '../../shared/errors';

export interface Table {
  headers: string[];
  rows: string[][];
}

const MAX_ROWS = 300_000;

function decodeText(content: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(content).replace(/^\uFEFF/, '');
  } catch {
    return new TextDecoder('gbk').decode(content);
  }
}

const tooMany = () =>
  new AppError('validation_failed', { zh: `文件超过 ${MAX_ROWS} 行，请拆分后导入`, en: `The file has more than ${MAX_ROWS} rows; split it` });
const unreadable = (zh: string, en: string) => new AppError('validation_failed', { zh, en });

export async function readTable(fileName: string, content: Buffer): Promise<Table> {
  if (/\.xlsx$/i.test(fileName)) return readXlsx(content);
  if (!/\.csv$/i.test(fileName)) throw unreadable('只支持 .csv 或 .xlsx 文件', 'Only .csv and .xlsx files are accepted');
  let records: string[][];
  try {
    records = parse(decodeText(content), { relax_column_count: true, skip_empty_lines: true, trim: true }) as string[][];
  } catch (e) {
    throw unreadable(`CSV 无法解析：${(e as Error).message}`, `The CSV cannot be parsed: ${(e as Error).message}`);
  }
  if (records.length === 0) throw unreadable('文件是空的', 'The file is empty');
  if (records.length - 1 > MAX_ROWS) throw tooMany();
  return { headers: records[0]!, rows: records.slice(1) };
}

function cellText(v: ExcelJS.CellValue): string {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (typeof v === 'number') {
    // An 18-digit ID number typed into a number cell has lost its last digits already.
    if (Math.abs(v) >= 1e15) return `#NUMBER:${v}`;
    return String(v);
  }
  if (typeof v === 'object') {
    if ('richText' in v) return v.richText.map((r) => r.text).join('');
    if ('text' in v && typeof v.text === 'string') return v.text;
    if ('result' in v) return cellText(v.result as ExcelJS.CellValue);
    return '';
  }
  return String(v);
}

async function readXlsx(content: Buffer): Promise<Table> {
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(content as unknown as ArrayBuffer);
  } catch {
    throw unreadable('Excel 文件无法读取（仅支持 .xlsx）', 'The Excel file cannot be read (.xlsx only)');
  }
  const sheet = wb.worksheets[0];
  if (!sheet || sheet.rowCount === 0) throw unreadable('工作表是空的', 'The worksheet is empty');
  if (sheet.rowCount - 1 > MAX_ROWS) throw tooMany();
  const width = sheet.columnCount;
  const rows: string[][] = [];
  sheet.eachRow({ includeEmpty: false }, (row) => {
    const cells: string[] = [];
    for (let c = 1; c <= width; c++) cells.push(cellText(row.getCell(c).value).trim());
    if (cells.some((x) => x !== '')) rows.push(cells);
  });
  if (rows.length === 0) throw unreadable('工作表是空的', 'The worksheet is empty');
  return { headers: rows[0]!, rows: rows.slice(1) };
}
