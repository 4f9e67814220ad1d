import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CliError } from './errors';
import { findJsonErrorOffset, lineAndColumn, readGeoJsonFile } from './geojson-file';

describe('findJsonErrorOffset', () => {
  it.each([
    ['{"a": 1}', null],
    [' [1, 2.5e3, -0, "x\\u00e9", true, false, null, {}] ', null],
    ['{"a": x}', 6],
    ['{"a": 1,}', 8],
    ['{"a": 1', 7],
    ['[1 2]', 3],
    ['{"a": 1} x', 9],
    ['{"a": "tab\there"}', 10],
    ['\ufeff{"a": 1}', null],
  ])('%j → %j', (text, offset) => {
    expect(findJsonErrorOffset(text)).toBe(offset);
  });

  it('agrees with JSON.parse on which texts are valid', () => {
    for (const text of ['{}', '[]', '""', '0', '-1.5', '{"a":[{"b":null}]}', '01', '1.', '.5', '{"a"}', "{'a': 1}", '[,]', 'nul']) {
      let valid = true;
      try {
        JSON.parse(text);
      } catch {
        valid = false;
      }
      expect(findJsonErrorOffset(text) === null, text).toBe(valid);
    }
  });

  it('counts lines and columns from 1', () => {
    expect(lineAndColumn('ab\ncd\nef', 4)).toEqual({ line: 2, column: 2 });
  });
});

describe('readGeoJsonFile', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'minsheng-geojson-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const failure = async (p: Promise<unknown>) => {
    const e = await p.then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(e).toBeInstanceOf(CliError);
    return e as CliError;
  };

  it('names each problem with the file before reading it as GeoJSON', async () => {
    await writeFile(path.join(dir, 'empty.json'), '  \n');
    await writeFile(path.join(dir, 'gbk.json'), Buffer.from([0x7b, 0x22, 0xca, 0xd0, 0xc4, 0xcf, 0x22, 0x7d])); // {"市南"} in GBK
    await writeFile(path.join(dir, 'big.json'), '{"type": "FeatureCollection", "features": []}');
    await mkdir(path.join(dir, 'folder.json'));

    expect((await failure(readGeoJsonFile(path.join(dir, 'nope.json')))).code).toBe('file_not_found');
    expect((await failure(readGeoJsonFile(path.join(dir, 'empty.json')))).code).toBe('file_empty');
    expect((await failure(readGeoJsonFile(path.join(dir, 'gbk.json')))).code).toBe('not_utf8');
    expect((await failure(readGeoJsonFile(path.join(dir, 'folder.json')))).code).toBe('not_a_file');
    const big = await failure(readGeoJsonFile(path.join(dir, 'big.json'), 10));
    expect(big.code).toBe('file_too_large');
    expect(big.text.zh).toContain('上限');
  });

  it('reads a bare array of Features as a FeatureCollection, and strips a BOM', async () => {
    const f = { type: 'Feature', properties: { code: '370202' }, geometry: null };
    await writeFile(path.join(dir, 'array.json'), `\ufeff${JSON.stringify([f])}`);
    const read = await readGeoJsonFile(path.join(dir, 'array.json'));
    expect(read.collection).toEqual({ type: 'FeatureCollection', features: [f] });
    expect(read.note?.en).toContain('array of Features');
  });
});
