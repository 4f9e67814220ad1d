import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { acquireDirLock } from './lock';

describe('PGlite directory lock', () => {
  const dir = () => path.join(mkdtempSync(path.join(tmpdir(), 'ms-lock-')), 'pglite');

  it('refuses a directory held by another live process, naming it', () => {
    const d = dir();
    writeFileSync(`${d}.lock`, String(process.ppid));
    expect(() => acquireDirLock(d)).toThrow(/in use by another minsheng process/);
  });

  it('takes over a lock left by a process that is gone, and releases it', () => {
    const d = dir();
    writeFileSync(`${d}.lock`, '999999999');
    const release = acquireDirLock(d);
    expect(existsSync(`${d}.lock`)).toBe(true);
    release();
    expect(existsSync(`${d}.lock`)).toBe(false);
  });
});
