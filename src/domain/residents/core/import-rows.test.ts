import { describe, expect, it } from 'vitest';
import { makeIdNumber } from './id-number';
import { detectKind, normalizeDate, parsePersonRows, parseReceiptRows, yuanToFen } from './import-rows';

const H = ['户编号', '与户主关系', '姓名', '身份证号', '性别', '出生日期', '手机号', '婚姻状况', '户籍类型', '网格代码', '楼栋地址', '房号', '残疾类别', '残疾等级', '月收入（元）', '特殊身份'];
const ctx = { today: '2026-11-22', gridCells: new Map([['370202001001001', '/370202/370202001/370202001001/370202001001001/']]) };
const G = '370202001001001';
const id1 = makeIdNumber('990001', '1950-02-28', 1, 'M');
const id2 = makeIdNumber('990001', '1952-05-01', 2, 'F');
const id3 = makeIdNumber('990002', '1980-01-01', 3, 'M');

describe('import rows', () => {
  it('detects the template from its headers, Chinese or English', () => {
    expect(detectKind(H)).toEqual({ kind: 'persons' });
    expect(detectKind(['household_code', 'relationship', 'name', 'id_number'])).toEqual({ kind: 'persons' });
    expect(detectKind(['身份证号', '待遇代码', '起始日期'])).toEqual({ kind: 'receipts' });
    expect(detectKind(['姓名'])).toMatchObject({ kind: null, missing: ['户编号', '与户主关系', '身份证号'] });
  });

  it('accepts a good household and converts its values', () => {
    const rows = parsePersonRows(H, [
      ['H1', '户主', '王大演示', id1, '男', '1950/2/28', '100 0000 0001', '已婚', '本区', G, '演示路1号楼', '1-101', '肢体', '二级', '1,234.5', '低保；独居老人'],
      ['H1', '配偶', '李二演示', id2, '女', '', '', '已婚', '本市', G, '演示路1号楼', '1-101', '', '', '0', ''],
    ], ctx);
    expect(rows.map((r) => r.errors)).toEqual([[], []]);
    expect(rows[0]!.value).toMatchObject({ birthDate: '1950-02-28', sex: 'M', phone: '10000000001', maritalStatus: 'married', hukouType: 'local', disabilityType: '肢体', disabilityGrade: 2, monthlyIncomeFen: 123450, statuses: ['dibao', 'living_alone'] });
    expect(rows[1]!.value).toMatchObject({ hukouType: 'city', monthlyIncomeFen: 0, statuses: [] });
  });

  it('reports every bad row with reasons and skips its whole household', () => {
    const badCheck = id3.slice(0, 17) + (id3[17] === '1' ? '2' : '1');
    const rows = parsePersonRows(H, [
      ['H1', '户主', '王大演示', id1, '女', '', '', '', '', G, '', '', '', '', '', ''], // sex disagrees with the ID
      ['H1', '配偶', '李二演示', id2, '', '', '', '', '', G, '', '', '', '', '', ''], // fine, but its household is bad
      ['H2', '户主', '张三演示', badCheck, '', '', '', '', '', G, '', '', '', '', '', ''], // check digit
      ['H3', '户主', '赵四演示', id3, '', '1980-01-02', '', '', '', '999', '', '', '', '', 'abc', '富豪'], // birth date, grid, income, status
      ['H4', '户主', '钱五演示', id2, '', '', '', '', '', G, '', '', '', '', '', ''], // same ID as line 3
      ['H5', '老板', '', '12345', '', '2026-13-01', '', '', '', G, '', '', '视力', '', '', ''],
    ], ctx);
    const codes = rows.map((r) => r.errors.map((e) => e.code).sort());
    expect(codes[0]).toEqual(['sex_mismatch']);
    expect(codes[1]).toEqual(['duplicate_in_file']);
    expect(codes[2]).toEqual(['check_digit']);
    expect(codes[3]).toEqual(['bad_amount', 'bad_code', 'birth_mismatch', 'unknown_area'].sort());
    expect(codes[4]).toEqual(['duplicate_in_file']);
    expect(codes[5]).toEqual(expect.arrayContaining(['bad_code', 'required', 'format', 'bad_date', 'incomplete']));
    expect(rows.every((r) => r.value === null)).toBe(true);
    expect(rows[0]!.line).toBe(2);
    // every problem is bilingual
    for (const r of rows) for (const e of r.errors) expect(e.zh.length * e.en.length).toBeGreaterThan(0);
  });

  it('a household whose rows disagree on the place, or with two heads, is refused whole', () => {
    const rows = parsePersonRows(H, [
      ['H1', '户主', '王大演示', id1, '', '', '', '', '', G, '演示路1号楼', '1-101', '', '', '', ''],
      ['H1', '户主', '李二演示', id2, '', '', '', '', '', G, '演示路2号楼', '1-101', '', '', '', ''],
    ], ctx);
    expect(rows.map((r) => r.errors.map((e) => e.code))).toEqual([['household_place_conflict', 'two_heads'], ['household_place_conflict', 'two_heads']]);
  });

  it('receipts: dates, amounts, ordering', () => {
    const rows = parseReceiptRows(['身份证号', '待遇代码', '起始日期', '截止日期', '金额（元）'], [
      [id1, 'elderly_allowance', '2026-01-01', '2026-01-31', '100'],
      [id1, 'Elderly', '2026-02-30', '2026-01-01', '-5'],
    ], ctx);
    expect(rows[0]!.value).toEqual({ idNumber: id1, name: null, benefitCode: 'elderly_allowance', periodFrom: '2026-01-01', periodTo: '2026-01-31', amountFen: 10000 });
    expect(rows[1]!.errors.map((e) => e.code)).toEqual(['bad_code', 'bad_date', 'bad_amount']);
  });

  it('dates and amounts', () => {
    expect(normalizeDate('2024.2.29')).toBe('2024-02-29');
    expect(normalizeDate('2023-02-29')).toBeNull();
    expect(normalizeDate('20240305')).toBe('2024-03-05');
    expect(normalizeDate('2024年3月5日')).toBe('2024-03-05');
    expect(yuanToFen('1050')).toBe(105000);
    expect(yuanToFen('0.05')).toBe(5);
    expect(yuanToFen('1.234')).toBeNull();
    expect(yuanToFen('-1')).toBeNull();
  });
});
