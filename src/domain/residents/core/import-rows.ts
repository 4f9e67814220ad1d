/**
 * The import template (docs/RESIDENTS-IMPORT.md) as pure checks: headers in Chinese or English,
 * each row validated on its own (ID number by GB 11643 with birth date and sex agreeing, dates,
 * codes, amounts), then across the file (the same ID number twice; a household's rows agreeing on
 * its place; at most one head). A household applies whole or not at all: one bad row skips its
 * whole household, so no household is half-imported.
 */
import type { HukouType, MaritalStatus, Sex } from '../facts';
import { SPECIAL_STATUSES, type SpecialStatus } from './statuses';
import { checkIdNumber, maskIdNumber } from './id-number';
import { isIsoDate } from './dates';
import { DISABILITY_TYPES, RELATIONSHIPS, type DisabilityType, type Relationship } from './registry';

export interface RowProblem {
  field: string;
  code: string;
  zh: string;
  en: string;
}

export type ImportKind = 'persons' | 'receipts';

/** Header → field, Chinese and English; the first matching header wins. */
const PERSON_HEADERS: Record<string, string[]> = {
  householdCode: ['户编号', 'household_code'],
  relationship: ['与户主关系', 'relationship'],
  name: ['姓名', 'name'],
  idNumber: ['身份证号', '公民身份号码', 'id_number'],
  sex: ['性别', 'sex'],
  birthDate: ['出生日期', 'birth_date'],
  phone: ['手机号', '联系电话', 'phone'],
  maritalStatus: ['婚姻状况', 'marital_status'],
  hukouType: ['户籍类型', 'hukou_type'],
  hukouPlace: ['户籍地代码', 'hukou_place'],
  gridCode: ['网格代码', 'grid_code'],
  address: ['楼栋地址', 'building_address'],
  room: ['房号', 'room'],
  lon: ['经度', 'lon'],
  lat: ['纬度', 'lat'],
  crs: ['坐标系', 'crs'],
  disabilityType: ['残疾类别', 'disability_type'],
  disabilityGrade: ['残疾等级', 'disability_grade'],
  monthlyIncome: ['月收入（元）', '月收入(元)', '月收入', 'monthly_income_yuan'],
  statuses: ['特殊身份', 'statuses'],
  movedOutOn: ['迁出日期', 'moved_out_on'],
  diedOn: ['死亡日期', 'died_on'],
};
const RECEIPT_HEADERS: Record<string, string[]> = {
  idNumber: ['身份证号', '公民身份号码', 'id_number'],
  name: ['姓名', 'name'],
  benefitCode: ['待遇代码', 'benefit_code'],
  periodFrom: ['起始日期', 'period_from'],
  periodTo: ['截止日期', 'period_to'],
  amount: ['金额（元）', '金额(元)', '金额', 'amount_yuan'],
};

const REL_ZH: Record<string, Relationship> = {
  户主: 'head', 本人: 'head', 配偶: 'spouse', 妻: 'spouse', 夫: 'spouse', 子女: 'child', 子: 'child', 女: 'child', 儿子: 'child', 女儿: 'child',
  父母: 'parent', 父亲: 'parent', 母亲: 'parent', 孙子女: 'grandchild', 孙子: 'grandchild', 孙女: 'grandchild', 外孙子女: 'grandchild',
  祖父母: 'grandparent', 兄弟姐妹: 'sibling', 其他: 'other',
};
const MARITAL_ZH: Record<string, MaritalStatus> = { 未婚: 'single', 已婚: 'married', 初婚: 'married', 再婚: 'married', 离婚: 'divorced', 离异: 'divorced', 丧偶: 'widowed' };
const HUKOU_ZH: Record<string, HukouType> = { 本区: 'local', 本地: 'local', 本市: 'city', 市内: 'city', 外地: 'outside', 流动人口: 'outside', 外省市: 'outside' };
export const STATUS_ZH: Record<string, SpecialStatus> = {
  低保: 'dibao', 低保对象: 'dibao', 低保边缘: 'dibao_edge', 特困: 'tekun', 特困供养: 'tekun', 独居老人: 'living_alone', 空巢老人: 'empty_nest',
  空巢: 'empty_nest', 退役军人: 'veteran', 防止返贫监测对象: 'poverty_watch', 计划怀孕: 'pregnancy_planned', 流动人口政策内: 'floating_policy',
};

export interface PersonImport {
  householdCode: string;
  relationship: Relationship;
  name: string;
  idNumber: string;
  sex: Sex;
  birthDate: string;
  phone: string | null;
  maritalStatus: MaritalStatus | null;
  hukouType: HukouType;
  hukouPlace: string | null;
  gridCode: string | null;
  address: string | null;
  room: string;
  lon: number | null;
  lat: number | null;
  crs: 'wgs84' | 'gcj02' | 'bd09';
  disabilityType: DisabilityType | null;
  disabilityGrade: 1 | 2 | 3 | 4 | null;
  /** null when the column is absent or the cell empty: keep what the registry has. */
  monthlyIncomeFen: number | null;
  /** null when the column is absent: keep the registry's statuses; [] closes them all. */
  statuses: SpecialStatus[] | null;
  movedOutOn: string | null;
  diedOn: string | null;
}

export interface ReceiptImport {
  idNumber: string;
  name: string | null;
  benefitCode: string;
  periodFrom: string;
  periodTo: string | null;
  amountFen: number;
}

export interface ParsedRow<T> {
  /** The row's line in the file (1 = the header). */
  line: number;
  value: T | null;
  idMasked: string | null;
  errors: RowProblem[];
  warnings: RowProblem[];
}

export interface ParseContext {
  today: string;
  /** Grid cell codes of the district that the importer may write to (code → path). */
  gridCells: ReadonlyMap<string, string>;
}

const P = (field: string, code: string, zh: string, en: string): RowProblem => ({ field, code, zh, en });

function headerIndex(headers: readonly string[], spec: Record<string, string[]>): Map<string, number> {
  const norm = headers.map((h) => h.replace(/^\uFEFF/, '').trim().toLowerCase());
  const out = new Map<string, number>();
  for (const [field, names] of Object.entries(spec)) {
    const i = norm.findIndex((h) => names.some((n) => n.toLowerCase() === h));
    if (i >= 0) out.set(field, i);
  }
  return out;
}

/** Which template a header row is: persons, receipts, or neither (with what is missing). */
export function detectKind(headers: readonly string[]): { kind: ImportKind } | { kind: null; missing: string[] } {
  const r = headerIndex(headers, RECEIPT_HEADERS);
  if (r.has('benefitCode') && r.has('idNumber')) {
    const missing = ['periodFrom'].filter((f) => !r.has(f)).map((f) => RECEIPT_HEADERS[f]![0]!);
    return missing.length ? { kind: null, missing } : { kind: 'receipts' };
  }
  const p = headerIndex(headers, PERSON_HEADERS);
  const missing = ['householdCode', 'relationship', 'name', 'idNumber'].filter((f) => !p.has(f)).map((f) => PERSON_HEADERS[f]![0]!);
  return missing.length ? { kind: null, missing } : { kind: 'persons' };
}

/** Excel and clerks write dates many ways: 2024-03-05, 2024/3/5, 2024.3.5, 20240305. */
export function normalizeDate(raw: string): string | null {
  const s = raw.trim();
  let m = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$/.exec(s);
  if (!m) m = /^(\d{4})(\d{2})(\d{2})$/.exec(s);
  if (!m) return null;
  const d = `${m[1]}-${m[2]!.padStart(2, '0')}-${m[3]!.padStart(2, '0')}`;
  return isIsoDate(d) ? d : null;
}

/** 元 with up to two decimals → 分. */
export function yuanToFen(raw: string): number | null {
  const s = raw.trim().replace(/,/g, '');
  if (!/^\d{1,9}(\.\d{1,2})?$/.test(s)) return null;
  const [int, dec = ''] = s.split('.');
  return Number(int) * 100 + Number(dec.padEnd(2, '0'));
}

export function parsePersonRows(headers: readonly string[], rows: readonly (readonly string[])[], ctx: ParseContext): ParsedRow<PersonImport>[] {
  const idx = headerIndex(headers, PERSON_HEADERS);
  const has = (f: string) => idx.has(f);
  const out = rows.map((cells, i): ParsedRow<PersonImport> => {
    const get = (f: string) => {
      const k = idx.get(f);
      return k === undefined ? '' : String(cells[k] ?? '').trim();
    };
    const errors: RowProblem[] = [];
    const warnings: RowProblem[] = [];
    const date = (f: string, label: string): string | null => {
      const raw = get(f);
      if (!raw) return null;
      const d = normalizeDate(raw);
      if (!d) errors.push(P(f, 'bad_date', `${label}「${raw}」不是有效日期`, `${f} "${raw}" is not a valid date`));
      else if (d > ctx.today) errors.push(P(f, 'future_date', `${label}晚于今天`, `${f} is in the future`));
      return d;
    };

    const householdCode = get('householdCode');
    if (!/^[A-Za-z0-9_-]{1,40}$/.test(householdCode)) errors.push(P('householdCode', 'bad_code', '户编号应为1–40位字母、数字、- 或 _', 'household_code: 1–40 letters, digits, - or _'));
    const relRaw = get('relationship');
    const relationship = REL_ZH[relRaw] ?? (RELATIONSHIPS as readonly string[]).find((r) => r === relRaw.toLowerCase()) as Relationship | undefined;
    if (!relationship) errors.push(P('relationship', 'bad_code', `与户主关系「${relRaw}」无法识别`, `relationship "${relRaw}" is not known`));
    const name = get('name');
    if (name.length < 1 || name.length > 60) errors.push(P('name', 'required', '姓名必填（≤60字）', 'name is required (≤ 60 characters)'));

    const idRaw = get('idNumber').toUpperCase();
    const sexRaw = get('sex');
    const sexGiven: Sex | null = sexRaw === '' ? null : ['男', 'M', 'm', '1'].includes(sexRaw) ? 'M' : ['女', 'F', 'f', '2'].includes(sexRaw) ? 'F' : null;
    if (sexRaw !== '' && sexGiven === null) errors.push(P('sex', 'bad_code', `性别「${sexRaw}」应为 男/女`, `sex "${sexRaw}" must be 男/女 or M/F`));
    const birthGiven = date('birthDate', '出生日期');
    const idCheck = checkIdNumber(idRaw, { today: ctx.today, expect: { birthDate: birthGiven, sex: sexGiven } });
    if (idRaw.startsWith('#NUMBER:')) {
      errors.push(P('idNumber', 'excel_number', '身份证号被 Excel 存成了数字，末几位已丢失；请把该列设为“文本”后重新录入', 'Excel stored the ID number as a number and lost its last digits; format the column as text'));
    } else if (!idCheck.ok) {
      const msg: Record<string, [string, string]> = {
        format: ['身份证号应为18位（前17位数字，末位数字或X）', 'ID number must be 18 characters (17 digits, then a digit or X)'],
        check_digit: ['身份证号校验码错误', 'ID number check digit is wrong (GB 11643)'],
        birth_date: ['身份证号中的出生日期无效', 'the birth date inside the ID number is not valid'],
        birth_mismatch: ['出生日期与身份证号不一致', 'birth date does not match the ID number'],
        sex_mismatch: ['性别与身份证号不一致', 'sex does not match the ID number'],
      };
      const [zh, en] = msg[idCheck.problem]!;
      errors.push(P(idCheck.problem === 'sex_mismatch' ? 'sex' : idCheck.problem === 'birth_mismatch' ? 'birthDate' : 'idNumber', idCheck.problem, zh, en));
    }

    const phone = get('phone').replace(/[\s-]/g, '');
    if (phone && !/^\+?\d{5,20}$/.test(phone)) errors.push(P('phone', 'bad_phone', '手机号格式错误', 'phone is not a number'));

    const maritalRaw = get('maritalStatus');
    const maritalStatus = maritalRaw === '' ? null : MARITAL_ZH[maritalRaw] ?? (['single', 'married', 'divorced', 'widowed'].includes(maritalRaw) ? (maritalRaw as MaritalStatus) : undefined);
    if (maritalStatus === undefined) errors.push(P('maritalStatus', 'bad_code', `婚姻状况「${maritalRaw}」无法识别`, `marital_status "${maritalRaw}" is not known`));
    const hukouRaw = get('hukouType');
    const hukouType = hukouRaw === '' ? 'local' : HUKOU_ZH[hukouRaw] ?? (['local', 'city', 'outside'].includes(hukouRaw) ? (hukouRaw as HukouType) : undefined);
    if (hukouType === undefined) errors.push(P('hukouType', 'bad_code', `户籍类型「${hukouRaw}」应为 本区/本市/外地`, `hukou_type "${hukouRaw}" must be local/city/outside`));
    const hukouPlace = get('hukouPlace') || null;
    if (hukouPlace && !/^\d{6}$/.test(hukouPlace)) errors.push(P('hukouPlace', 'bad_code', '户籍地代码应为6位区划代码', 'hukou_place must be a 6-digit division code'));

    const gridCode = get('gridCode') || null;
    if (gridCode && !ctx.gridCells.has(gridCode)) errors.push(P('gridCode', 'unknown_area', `网格代码「${gridCode}」不存在或不在您的范围内`, `grid cell "${gridCode}" does not exist or is outside your scope`));
    const lonRaw = get('lon');
    const latRaw = get('lat');
    const lon = lonRaw === '' ? null : Number(lonRaw);
    const lat = latRaw === '' ? null : Number(latRaw);
    if ((lon === null) !== (lat === null) || (lon !== null && !(Number.isFinite(lon) && lon >= -180 && lon <= 180)) || (lat !== null && !(Number.isFinite(lat) && lat >= -90 && lat <= 90))) {
      errors.push(P('lon', 'bad_coordinates', '经纬度须成对填写且在有效范围内', 'lon and lat go together and must be in range'));
    }
    const crsRaw = get('crs').toLowerCase();
    const crs = crsRaw === '' || crsRaw === 'wgs84' || crsRaw === 'wgs-84' ? 'wgs84' : crsRaw === 'gcj02' || crsRaw === 'gcj-02' ? 'gcj02' : crsRaw === 'bd09' || crsRaw === 'bd-09' ? 'bd09' : null;
    if (!crs) errors.push(P('crs', 'bad_code', '坐标系应为 wgs84/gcj02/bd09', 'crs must be wgs84, gcj02 or bd09'));
    const address = get('address') || null;
    if (address && address.length > 200) errors.push(P('address', 'too_long', '楼栋地址过长', 'building address is too long'));
    const room = get('room');
    if (room.length > 40) errors.push(P('room', 'too_long', '房号过长', 'room is too long'));

    const dtRaw = get('disabilityType');
    const dgRaw = get('disabilityGrade');
    const disabilityType = dtRaw === '' ? null : (DISABILITY_TYPES as readonly string[]).includes(dtRaw.replace(/残疾$/, '')) ? (dtRaw.replace(/残疾$/, '') as DisabilityType) : undefined;
    if (disabilityType === undefined) errors.push(P('disabilityType', 'bad_code', `残疾类别「${dtRaw}」应为 视力/听力/言语/肢体/智力/精神/多重`, `disability_type "${dtRaw}" is not known`));
    const gradeMap: Record<string, 1 | 2 | 3 | 4> = { '1': 1, '2': 2, '3': 3, '4': 4, 一级: 1, 二级: 2, 三级: 3, 四级: 4 };
    const disabilityGrade = dgRaw === '' ? null : gradeMap[dgRaw];
    if (disabilityGrade === undefined) errors.push(P('disabilityGrade', 'bad_code', '残疾等级应为 1–4', 'disability_grade must be 1–4'));
    if ((dtRaw === '') !== (dgRaw === '')) errors.push(P('disabilityGrade', 'incomplete', '残疾类别与等级须同时填写', 'disability type and grade go together'));

    const incRaw = get('monthlyIncome');
    const monthlyIncomeFen = incRaw === '' ? null : yuanToFen(incRaw);
    if (monthlyIncomeFen === null && incRaw !== '') errors.push(P('monthlyIncome', 'bad_amount', `月收入「${incRaw}」应为非负金额（元，最多两位小数）`, `monthly income "${incRaw}" must be a non-negative amount in yuan`));

    let statuses: SpecialStatus[] | null = null;
    if (has('statuses')) {
      statuses = [];
      for (const part of get('statuses').split(/[;；,，、|]/).map((x) => x.trim()).filter(Boolean)) {
        const s = STATUS_ZH[part] ?? ((SPECIAL_STATUSES as readonly string[]).includes(part) ? (part as SpecialStatus) : undefined);
        if (!s) errors.push(P('statuses', 'bad_code', `特殊身份「${part}」无法识别`, `status "${part}" is not known`));
        else if (!statuses.includes(s)) statuses.push(s);
      }
    }
    const movedOutOn = date('movedOutOn', '迁出日期');
    const diedOn = date('diedOn', '死亡日期');
    const birthDate = idCheck.ok ? idCheck.info.birthDate : birthGiven ?? '';
    if (diedOn && birthDate && diedOn < birthDate) errors.push(P('diedOn', 'before_birth', '死亡日期早于出生日期', 'death date is before the birth date'));

    const value: PersonImport | null =
      errors.length === 0 && idCheck.ok
        ? {
            householdCode,
            relationship: relationship!,
            name,
            idNumber: idRaw,
            sex: idCheck.info.sex,
            birthDate: idCheck.info.birthDate,
            phone: phone || null,
            maritalStatus: maritalStatus ?? null,
            hukouType: hukouType!,
            hukouPlace,
            gridCode,
            address,
            room,
            lon,
            lat,
            crs: crs!,
            disabilityType: disabilityType ?? null,
            disabilityGrade: disabilityGrade ?? null,
            monthlyIncomeFen,
            statuses,
            movedOutOn,
            diedOn,
          }
        : null;
    return { line: i + 2, value, idMasked: /^\d{17}[\dX]$/.test(idRaw) ? maskIdNumber(idRaw) : null, errors, warnings };
  });
  crossCheckPersons(out, rows, idx);
  return out;
}

/** Duplicates within the file, household consistency; then a bad row skips its whole household. */
function crossCheckPersons(out: ParsedRow<PersonImport>[], rows: readonly (readonly string[])[], idx: Map<string, number>) {
  const idCol = idx.get('idNumber')!;
  const hhCol = idx.get('householdCode')!;
  const firstLine = new Map<string, number>();
  rows.forEach((cells, i) => {
    const id = String(cells[idCol] ?? '').trim().toUpperCase();
    if (!id) return;
    const seen = firstLine.get(id);
    if (seen !== undefined) {
      out[i]!.errors.push(P('idNumber', 'duplicate_in_file', `身份证号与第${seen}行重复`, `ID number repeats line ${seen}`));
      out[i]!.value = null;
      const first = out[seen - 2]!;
      if (!first.errors.some((e) => e.code === 'duplicate_in_file')) {
        first.errors.push(P('idNumber', 'duplicate_in_file', `身份证号在第${i + 2}行再次出现`, `ID number appears again on line ${i + 2}`));
        first.value = null;
      }
    } else firstLine.set(id, i + 2);
  });
  // Households: rows with the same code must agree on the place, and name at most one head.
  const byHousehold = new Map<string, number[]>();
  rows.forEach((cells, i) => {
    const code = String(cells[hhCol] ?? '').trim();
    if (!code) return;
    const list = byHousehold.get(code) ?? [];
    list.push(i);
    byHousehold.set(code, list);
  });
  for (const [, list] of byHousehold) {
    const values = list.map((i) => out[i]!.value).filter((v): v is PersonImport => v !== null);
    const places = new Set(values.map((v) => `${v.gridCode ?? ''}|${v.address ?? ''}|${v.room}|${v.lon ?? ''}|${v.lat ?? ''}`).filter((p) => p !== '||||'));
    if (places.size > 1) {
      for (const i of list) {
        out[i]!.errors.push(P('householdCode', 'household_place_conflict', '同一户编号的各行网格/地址/房号不一致', 'rows of this household disagree on its grid, address or room'));
        out[i]!.value = null;
      }
    }
    const heads = values.filter((v) => v.relationship === 'head').length;
    if (heads > 1) {
      for (const i of list) {
        out[i]!.errors.push(P('relationship', 'two_heads', '同一户有多名户主', 'the household has more than one head'));
        out[i]!.value = null;
      }
    }
    const bad = list.filter((i) => out[i]!.errors.length > 0);
    if (bad.length > 0) {
      const lines = bad.map((i) => i + 2).join('、');
      for (const i of list) {
        if (out[i]!.errors.length > 0) continue;
        out[i]!.errors.push(P('householdCode', 'household_incomplete', `同户第${lines}行有错误，整户未导入`, `line(s) ${lines} of the same household have errors; the household is skipped whole`));
        out[i]!.value = null;
      }
    }
  }
}

export function parseReceiptRows(headers: readonly string[], rows: readonly (readonly string[])[], ctx: ParseContext): ParsedRow<ReceiptImport>[] {
  const idx = headerIndex(headers, RECEIPT_HEADERS);
  return rows.map((cells, i) => {
    const get = (f: string) => {
      const k = idx.get(f);
      return k === undefined ? '' : String(cells[k] ?? '').trim();
    };
    const errors: RowProblem[] = [];
    const idRaw = get('idNumber').toUpperCase();
    const idCheck = checkIdNumber(idRaw, { today: ctx.today });
    if (!idCheck.ok) errors.push(P('idNumber', idCheck.problem, '身份证号无效', `ID number is not valid (${idCheck.problem})`));
    const benefitCode = get('benefitCode');
    if (!/^[a-z][a-z0-9_]{1,40}$/.test(benefitCode)) errors.push(P('benefitCode', 'bad_code', '待遇代码应为小写字母、数字和下划线', 'benefit_code: lower-case letters, digits, _'));
    const fromRaw = get('periodFrom');
    const periodFrom = normalizeDate(fromRaw);
    if (!periodFrom) errors.push(P('periodFrom', 'bad_date', `起始日期「${fromRaw}」无效`, `period_from "${fromRaw}" is not a valid date`));
    const toRaw = get('periodTo');
    const periodTo = toRaw === '' ? null : normalizeDate(toRaw);
    if (toRaw !== '' && !periodTo) errors.push(P('periodTo', 'bad_date', `截止日期「${toRaw}」无效`, `period_to "${toRaw}" is not a valid date`));
    if (periodFrom && periodTo && periodTo < periodFrom) errors.push(P('periodTo', 'before_start', '截止日期早于起始日期', 'period_to is before period_from'));
    const amountRaw = get('amount');
    const amountFen = amountRaw === '' ? 0 : yuanToFen(amountRaw);
    if (amountFen === null) errors.push(P('amount', 'bad_amount', `金额「${amountRaw}」无效`, `amount "${amountRaw}" is not valid`));
    const value: ReceiptImport | null =
      errors.length === 0 ? { idNumber: idRaw, name: get('name') || null, benefitCode, periodFrom: periodFrom!, periodTo, amountFen: amountFen! } : null;
    return { line: i + 2, value, idMasked: /^\d{17}[\dX]$/.test(idRaw) ? maskIdNumber(idRaw) : null, errors, warnings: [] };
  });
}
