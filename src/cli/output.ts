/**
 * What a command hands back, and the little text formatting the readable (non --json) output
 * needs: Chinese-first labels with English, and columns that line up with CJK text (a Chinese
 * character takes two terminal cells).
 */
import type { AreaLevel } from '../domain/areas';
import type { Role } from '../shared/authz';
import { ROLE_NAMES } from '../shared/authz';

export interface CommandOutcome {
  /** The one JSON document printed with --json. */
  data: unknown;
  /** The readable output printed without --json. */
  text: string;
  exitCode?: number;
}

export const LEVEL_NAMES: Record<AreaLevel, { zh: string; en: string }> = {
  district: { zh: '区', en: 'district' },
  subdistrict: { zh: '街道', en: 'subdistrict' },
  community: { zh: '社区', en: 'community' },
  grid_cell: { zh: '网格', en: 'grid cell' },
};

export const levelLabel = (level: AreaLevel) => `${LEVEL_NAMES[level].zh} ${LEVEL_NAMES[level].en}`;
export const roleLabel = (role: Role) => `${ROLE_NAMES[role].zh} ${role}`;

/** Terminal cells a string takes: East Asian wide and full-width characters count two. */
export function displayWidth(s: string): number {
  let width = 0;
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    const wide =
      (c >= 0x1100 && c <= 0x115f) ||
      (c >= 0x2e80 && c <= 0xa4cf) ||
      (c >= 0xac00 && c <= 0xd7a3) ||
      (c >= 0xf900 && c <= 0xfaff) ||
      (c >= 0xfe30 && c <= 0xfe4f) ||
      (c >= 0xff00 && c <= 0xff60) ||
      (c >= 0xffe0 && c <= 0xffe6) ||
      (c >= 0x20000 && c <= 0x3fffd);
    width += wide ? 2 : 1;
  }
  return width;
}

export function pad(s: string, width: number): string {
  return s + ' '.repeat(Math.max(0, width - displayWidth(s)));
}

/** A plain table: a header row, then rows; columns padded to the widest cell. */
export function table(header: string[], rows: string[][], indent = '  '): string {
  const widths = header.map((h, i) => Math.max(displayWidth(h), ...rows.map((r) => displayWidth(r[i] ?? ''))));
  const line = (cells: string[]) =>
    indent + cells.map((c, i) => (i === cells.length - 1 ? c : pad(c, widths[i]!))).join('  ').trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}

/** Write and wait until the stream has taken it, so a following process.exit loses nothing. */
export function writeFully(stream: NodeJS.WriteStream, text: string): Promise<void> {
  return new Promise((resolve) => {
    if (!text) return resolve();
    stream.write(text, () => resolve());
  });
}
