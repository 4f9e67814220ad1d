import { api, request, withQuery } from '../../api';
import { currentLanguage } from '../../i18n';

export interface ImportProblem {
  sheet: string;
  row: number;
  field: string;
  zh: string;
  en: string;
}

export interface ImportOutcome {
  ok: boolean;
  items: number;
  created: number;
  updated: number;
  problems: ImportProblem[];
}

export const STATUSES = ['completed', 'on_track', 'at_risk', 'delayed', 'not_started'] as const;
export type ProjectStatus = (typeof STATUSES)[number];
export const STAGES = ['preparing', 'tendering', 'constructing', 'accepting', 'done'] as const;
export type Stage = (typeof STAGES)[number];

export const STATUS_COLOR: Record<ProjectStatus, string> = {
  completed: '#389e0d',
  on_track: '#1677ff',
  at_risk: '#faad14',
  delayed: '#cf1322',
  not_started: '#8c8c8c',
};

export interface Bilingual {
  zh: string;
  en: string;
}

export interface Target {
  id: string;
  metric: string;
  unit: string;
  kind: 'count' | 'quantity' | 'percent';
  baseline: number;
  target: number;
  weight: number;
  current: number | null;
  progress: number;
}

export interface Milestone {
  id: string;
  title: string;
  plannedOn: string;
  achievedOn: string | null;
  overdueDays: number;
}

export interface ProjectItem {
  id: string;
  code: string;
  parentId: string | null;
  title: string;
  description: string;
  category: { code: string; name: string };
  ownerDepartment: { code: string; name: string };
  coUnits: string[];
  areas: { code: string; name: string; level: string }[];
  locations: { name: string; geometry: { type: 'Point'; coordinates: [number, number] } | { type: 'Polygon'; coordinates: [number, number][][] } }[];
  budgetFen: number;
  plannedStart: string;
  plannedEnd: string;
  progressRule: 'targets' | 'children' | 'stage';
  weight: number;
  closedOn: string | null;
  isDemo: boolean;
  progress: number;
  expected: number;
  status: ProjectStatus;
  statusName: Bilingual;
  statusReason: string;
  stage: Stage | null;
  lastReportOn: string | null;
  targets: Target[];
  milestones: Milestone[];
  children: ProjectItem[];
}

export interface Counts {
  items: number;
  subItems: number;
  byStatus: Record<ProjectStatus, number>;
}

export interface CategoryFigures {
  code: string;
  name: string;
  items: number;
  subItems: number;
  byStatus: Record<ProjectStatus, number>;
  progress: number;
  budgetFen: number;
}

export interface Programme {
  programme: { id: string; year: number; title: string; summary: string; isDemo: boolean };
  date: string;
  counts: Counts;
  headline: Bilingual;
  progress: number;
  categories: CategoryFigures[];
  items: ProjectItem[];
}

export interface StaffProgramme extends Programme {
  inScope: string[];
  canReport: string[];
}

export interface PublicProgramme extends Programme {
  outline: { type: 'FeatureCollection'; features: { properties: { name: string; code: string }; geometry: { type: string; coordinates: unknown } }[] };
  extras: Record<string, { timeline: { asOf: string; narrative: string; stage: Stage | null; files: { id: string; mimeType: string }[] }[]; rating: { count: number; average: number | null } }>;
}

export interface Report {
  id: string;
  asOf: string;
  stage: Stage | null;
  narrative: string;
  values: { targetId: string; value: number }[];
  milestones: { milestoneId: string; achievedOn: string }[];
  correctsId: string | null;
  reporter: { name: string | null; role: string | null; unit: string | null };
  createdAt: string;
  returned: { at: string; reason: string; by: string | null } | null;
  files: { id: string; fileName: string; mimeType: string; sizeBytes: number }[];
}

export interface ItemDetail {
  item: ProjectItem;
  programme: { year: number; title: string };
  reports: Report[];
  history: { id: number; kind: string; at: string; actorName: string | null; actorRole: string | null; data: Record<string, unknown> }[];
  canReport: boolean;
  canManage: boolean;
}

export interface Summary {
  year: number;
  title: string;
  date: string;
  isDemo: boolean;
  headline: Bilingual;
  counts: Counts;
  progress: number;
  budgetFen: number;
  categories: CategoryFigures[];
  overdueMilestones: { itemId: string; itemCode: string; itemTitle: string; milestone: string; plannedOn: string; overdueDays: number; owner: { code: string; name: string } }[];
  items: { id: string; code: string; title: string; category: string; owner: { code: string; name: string }; progress: number; expected: number; status: ProjectStatus; statusName: Bilingual; plannedEnd: string; lastReportOn: string | null }[];
}

export interface ReportInput {
  asOf: string;
  narrative: string;
  values: { targetId: string; value: number }[];
  milestones: { milestoneId: string; achievedOn: string }[];
  stage: Stage | null;
  correctsId: string | null;
  files: { fileName: string; contentBase64: string }[];
}

export const projectsApi = {
  programmes: () => api.get<{ items: { year: number; title: string; isDemo: boolean }[] }>('/api/v1/projects/programmes'),
  programme: (year: number, date?: string) => api.get<StaffProgramme>(withQuery(`/api/v1/projects/programmes/${year}`, { date })),
  item: (id: string, date?: string) => api.get<ItemDetail>(withQuery(`/api/v1/projects/items/${id}`, { date })),
  summary: (year: number, date?: string) => api.get<Summary>(withQuery('/api/v1/projects/summary', { year, date })),
  report: (id: string, body: ReportInput) => api.post<{ report: { reportId: string } }>(`/api/v1/projects/items/${id}/reports`, body),
  returnReport: (id: string, reason: string) => api.post(`/api/v1/projects/reports/${id}/return`, { reason }),
  close: (id: string, on: string, reason: string) => api.post(`/api/v1/projects/items/${id}/close`, { on, reason }),
  /** The import answers with a per-row report on refusal, so its error body is read here in full. */
  importItems: async (year: number, contentBase64: string, dryRun: boolean): Promise<ImportOutcome> => {
    const res = await fetch(`/api/v1/projects/programmes/${year}/import`, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json', 'x-minsheng-csrf': '1', 'idempotency-key': crypto.randomUUID(), 'accept-language': currentLanguage() },
      body: JSON.stringify({ contentBase64, dryRun }),
    });
    const body = (await res.json().catch(() => ({}))) as { items?: number; created?: number; updated?: number; error?: { message: string; zh: string; en: string; details?: { problems?: ImportProblem[] } } };
    if (res.ok) return { ok: true, items: body.items ?? 0, created: body.created ?? 0, updated: body.updated ?? 0, problems: [] };
    const e = body.error;
    return { ok: false, items: 0, created: 0, updated: 0, problems: e?.details?.problems ?? [{ sheet: '', row: 0, field: '', zh: e?.zh ?? String(res.status), en: e?.en ?? String(res.status) }] };
  },
};

export const publicProjectsApi = {
  programme: (year: number) => request<PublicProgramme>(`/api/v1/public/projects/${year}`, { quiet: true }),
  rate: (id: string, score: number, deviceToken: string, comment?: string) =>
    request<{ rating: { count: number; average: number } }>(`/api/v1/public/projects/items/${id}/ratings`, { method: 'POST', body: { score, deviceToken, ...(comment ? { comment } : {}) }, quiet: true }),
};

export const yuan = (fen: number) => (fen / 100).toLocaleString('zh-CN', { maximumFractionDigits: 2 });
export const wan = (fen: number) => (fen / 100 / 10_000).toLocaleString('zh-CN', { maximumFractionDigits: 1 });

/** Today in Asia/Shanghai as YYYY-MM-DD. */
export function todayShanghai(): string {
  return new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
}

export function flatten(items: ProjectItem[]): ProjectItem[] {
  return items.flatMap((i) => [i, ...flatten(i.children)]);
}

export async function fileToBase64(file: File): Promise<string> {
  const buf = new Uint8Array(await file.arrayBuffer());
  let s = '';
  for (let i = 0; i < buf.length; i += 0x8000) s += String.fromCharCode(...buf.subarray(i, i + 0x8000));
  return btoa(s);
}
