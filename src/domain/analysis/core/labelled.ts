/**
 * Labelled JSONL for training and evaluation: one object per line with `text` (or `title` +
 * `body`) and `label`. Parsing is strict and says where a file is wrong (line numbers from 1).
 */
export interface LabelledRow {
  id: string | null;
  text: string;
  label: string;
}

export class LabelledFileError extends Error {
  constructor(
    readonly zh: string,
    readonly en: string,
    readonly line: number | null,
  ) {
    super(en);
  }
}

const str = (v: unknown): string | null => (typeof v === 'string' && v.trim().length > 0 ? v : null);

/** Parse labelled JSONL. `requireLabel` false accepts unlabelled rows (label ''). Blank lines are skipped. */
export function parseLabelledJsonl(content: string, file: string, requireLabel = true): LabelledRow[] {
  const rows: LabelledRow[] = [];
  const lines = content.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (!line) continue;
    let o: unknown;
    try {
      o = JSON.parse(line);
    } catch {
      throw new LabelledFileError(`${file} 第 ${i + 1} 行不是有效的 JSON`, `${file}: line ${i + 1} is not valid JSON`, i + 1);
    }
    if (!o || typeof o !== 'object' || Array.isArray(o)) {
      throw new LabelledFileError(`${file} 第 ${i + 1} 行不是 JSON 对象`, `${file}: line ${i + 1} is not a JSON object`, i + 1);
    }
    const r = o as Record<string, unknown>;
    const text = str(r.text) ?? ([str(r.title), str(r.body)].filter((x): x is string => x !== null).join(' ') || null);
    if (!text) {
      throw new LabelledFileError(`${file} 第 ${i + 1} 行缺少 text（或 title + body）`, `${file}: line ${i + 1} has no text (or title + body)`, i + 1);
    }
    const label = str(r.label);
    if (!label && requireLabel) {
      throw new LabelledFileError(`${file} 第 ${i + 1} 行缺少 label`, `${file}: line ${i + 1} has no label`, i + 1);
    }
    const id = typeof r.id === 'string' || typeof r.id === 'number' ? String(r.id) : null;
    rows.push({ id, text, label: label?.trim() ?? '' });
  }
  if (rows.length === 0) throw new LabelledFileError(`${file} 没有数据行`, `${file}: no rows`, null);
  return rows;
}
