/**
 * 民生微实事 API for the web app: the residents' public calls (phone token in x-resident-token,
 * errors shown inline) and the street's workbench calls (the shared client).
 */
import { api, ApiError, withQuery } from '../../api';
import i18n, { currentLanguage } from '../../i18n';

export const MICRO_STATUSES = ['submitted', 'accepted', 'design', 'construction', 'completed', 'merged', 'rejected', 'not_selected'] as const;
export type MicroStatus = (typeof MICRO_STATUSES)[number];
export type Bilingual = { zh: string; en: string };

export interface Proposal {
  id: string;
  number: string;
  title: string;
  description: string;
  place: { lon: number | null; lat: number | null; address: string | null; areaCode: string; communityCode: string | null; subdistrictCode: string };
  estimatedCostFen: number;
  costFen: number;
  status: MicroStatus;
  statusName: Bilingual;
  reason: string | null;
  mergedInto: string | null;
  inRound: string | null;
  selectedByRound: string | null;
  budgetLine: string | null;
  projectItemId: string | null;
  stages: { acceptedOn: string | null; designOn: string | null; constructionOn: string | null; completedOn: string | null };
  supports: number;
  mergedSupports: number;
  photos: number;
  createdAt: string;
  isDemo: boolean;
  proposerPhone?: string | null;
}

export interface PublicStep {
  seq: number;
  kind: string;
  at: string;
  date: string | null;
  reason: string | null;
  note: string | null;
  intoNumber: string | null;
  votes: number | null;
  budgetLine: string | null;
  projectItemTitle: string | null;
  notified: number;
}

export interface PublicProposal {
  proposal: Proposal;
  timeline: PublicStep[];
  photos: { id: string; fileName: string; mimeType: string; sizeBytes: number }[];
  canSupport: boolean;
  me: { isProposer: boolean; hasSupported: boolean } | null;
}

export interface ProposalList {
  total: number;
  counts: Partial<Record<MicroStatus, number>>;
  items: Proposal[];
}

export interface Round {
  id: string;
  title: string;
  areaCode: string;
  budgetFen: number;
  minItems: number;
  maxItems: number;
  status: 'open' | 'closed';
  openedAt: string;
  closedAt: string | null;
  ballots: number;
}

export interface RoundDetail {
  round: Round;
  proposals: { id: string; number: string; title: string; costFen: number; status: MicroStatus; supports: number }[];
  me?: { hasVoted: boolean } | null;
}

export interface TallyLine {
  id: string;
  number: string;
  title: string;
  costFen: number;
  votes: number;
  rank: number;
  selected: boolean;
  reason: 'selected' | 'no_votes' | 'over_budget';
  remainingFen: number;
}

export interface Tally {
  round: Round;
  final: boolean;
  tally: { budgetFen: number; spentFen: number; remainingFen: number; ballots: number; lines: TallyLine[] };
}

export interface MyActivity {
  phone: string;
  proposals: { number: string; title: string; status: MicroStatus; role: 'proposer' | 'supporter' }[];
  notifications: { id: number; number: string; title: string; kind: string; text: string; status: string; at: string }[];
}

export interface Places {
  subdistricts: { code: string; name: string; communities: { code: string; name: string }[] }[];
}

export interface ProposeInput {
  title: string;
  description: string;
  place: { lon: number; lat: number; crs: 'wgs84'; address?: string } | { areaCode: string; address?: string };
  estimatedCostFen: number;
  photos: { fileName: string; contentBase64: string }[];
}

const TOKEN_KEY = 'minsheng.micro.resident';

/** The resident's token lives for the browser tab (sessionStorage), like the server's 2 h. */
export const residentToken = {
  get(): { token: string; phone: string; expiresAt: string } | null {
    try {
      const raw = sessionStorage.getItem(TOKEN_KEY);
      const v = raw ? (JSON.parse(raw) as { token: string; phone: string; expiresAt: string }) : null;
      return v && new Date(v.expiresAt).getTime() > Date.now() ? v : null;
    } catch {
      return null;
    }
  },
  set(v: { token: string; phone: string; expiresAt: string }) {
    try {
      sessionStorage.setItem(TOKEN_KEY, JSON.stringify(v));
    } catch {
      // private mode: the token lasts for this page
    }
  },
  clear() {
    try {
      sessionStorage.removeItem(TOKEN_KEY);
    } catch {
      // ignore
    }
  },
};

async function call<T>(path: string, init: { method?: 'GET' | 'POST'; body?: unknown; idempotencyKey?: string } = {}): Promise<T> {
  const method = init.method ?? 'GET';
  const headers: Record<string, string> = { Accept: 'application/json', 'Accept-Language': currentLanguage() };
  const tok = residentToken.get();
  if (tok) headers['x-resident-token'] = tok.token;
  let body: string | undefined;
  if (method !== 'GET') {
    headers['x-minsheng-csrf'] = '1';
    headers['Content-Type'] = 'application/json';
    if (init.idempotencyKey) headers['Idempotency-Key'] = init.idempotencyKey;
    body = JSON.stringify(init.body ?? {});
  }
  let res: Response;
  try {
    res = await fetch(path, { method, headers, body, credentials: 'same-origin' });
  } catch {
    throw new ApiError(0, 'network', i18n.t('common.networkError'));
  }
  if (!res.ok) {
    let code = `http_${res.status}`;
    let message: string = i18n.t('common.requestFailed', { status: res.status });
    try {
      const err = ((await res.json()) as { error?: { code?: unknown; message?: unknown } } | null)?.error;
      if (typeof err?.code === 'string') code = err.code;
      if (typeof err?.message === 'string' && err.message) message = err.message;
    } catch {
      // not JSON
    }
    if (res.status === 401) residentToken.clear();
    throw new ApiError(res.status, code, message);
  }
  const text = await res.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

export const publicMicroApi = {
  sendCode: (phone: string) => call<{ expiresInSeconds: number }>('/api/v1/public/verification-codes', { method: 'POST', body: { phone } }),
  startSession: (phone: string, code: string) => call<{ token: string; phone: string; expiresAt: string }>('/api/v1/public/micro/sessions', { method: 'POST', body: { phone, code } }),
  list: (q: { status?: MicroStatus; page?: number }) => call<ProposalList>(withQuery('/api/v1/public/micro/proposals', { status: q.status, page: q.page, pageSize: 50 })),
  get: (number: string) => call<PublicProposal>(`/api/v1/public/micro/proposals/${encodeURIComponent(number)}`),
  propose: (body: ProposeInput, idempotencyKey: string) => call<{ proposal: Proposal }>('/api/v1/public/micro/proposals', { method: 'POST', body, idempotencyKey }),
  support: (number: string) => call<PublicProposal>(`/api/v1/public/micro/proposals/${encodeURIComponent(number)}/supports`, { method: 'POST' }),
  me: () => call<MyActivity>('/api/v1/public/micro/me'),
  places: () => call<Places>('/api/v1/public/micro/places'),
  rounds: () => call<{ items: Round[] }>('/api/v1/public/micro/rounds'),
  round: (id: string) => call<RoundDetail>(`/api/v1/public/micro/rounds/${encodeURIComponent(id)}`),
  vote: (id: string, proposalIds: string[]) => call<RoundDetail>(`/api/v1/public/micro/rounds/${encodeURIComponent(id)}/ballots`, { method: 'POST', body: { proposalIds } }),
  locate: (lon: number, lat: number) =>
    call<{ inside: boolean; subdistrict?: { name: string } | null; community?: { name: string } | null; gridCell?: { name: string } | null }>(`/api/v1/areas/locate?lon=${lon}&lat=${lat}&crs=wgs84`),
};

export interface StaffDetail {
  proposal: Proposal;
  timeline: { seq: number; kind: string; at: string; actorName: string | null; actorRole: string | null; data: Record<string, unknown>; notified: number }[];
  allowedActs: StaffAct[];
  photos: { id: string; fileName: string }[];
}

export const STAFF_ACTS = ['accept', 'merge', 'reject', 'startDesign', 'startConstruction', 'completeAcceptance', 'link'] as const;
export type StaffAct = (typeof STAFF_ACTS)[number];
export const ACT_SEGMENTS: Record<StaffAct, string> = {
  accept: 'accept',
  merge: 'merge',
  reject: 'reject',
  startDesign: 'start-design',
  startConstruction: 'start-construction',
  completeAcceptance: 'complete-acceptance',
  link: 'link',
};

export const staffMicroApi = {
  listPath: (q: { status?: MicroStatus | undefined; q?: string | undefined; page: number }) => withQuery('/api/v1/micro/proposals', { status: q.status, q: q.q, page: q.page, pageSize: 20 }),
  get: (id: string) => api.get<StaffDetail>(`/api/v1/micro/proposals/${id}`),
  act: (id: string, act: StaffAct, body: Record<string, unknown>) => api.post<StaffDetail>(`/api/v1/micro/proposals/${id}/${ACT_SEGMENTS[act]}`, body),
  createRound: (body: Record<string, unknown>) => api.post<RoundDetail>('/api/v1/micro/rounds', body),
  tally: (id: string) => api.get<Tally>(`/api/v1/micro/rounds/${id}/tally`),
  close: (id: string) => api.post<Tally>(`/api/v1/micro/rounds/${id}/close`, {}),
};

export const yuan = (fen: number) => (fen / 100).toLocaleString('zh-CN', { maximumFractionDigits: 2 });

/** A local day (Asia/Shanghai) as YYYY-MM-DD. */
export function todayInShanghai(): string {
  return new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
}

export function errorText(e: unknown): string {
  return e instanceof ApiError ? e.message : i18n.t('common.networkError');
}

export function newKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  return [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
}
