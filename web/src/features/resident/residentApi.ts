/**
 * The public (no account) API for residents: phone codes, reporting, tracking, rating.
 * Own fetch wrapper: the shared client cannot send an Idempotency-Key, and these pages show
 * errors inline rather than through the staff app's message/401 handlers.
 */
import { ApiError } from '../../api';
import i18n, { currentLanguage } from '../../i18n';

export const RATINGS = ['satisfied', 'basically_satisfied', 'dissatisfied'] as const;
export type PublicRating = (typeof RATINGS)[number];

export interface ReportBody {
  type: 'consultation' | 'help' | 'complaint' | 'report' | 'suggestion' | 'praise';
  title: string;
  content: string;
  categoryCode?: string;
  location: { lon?: number; lat?: number; crs?: 'wgs84' | 'gcj02' | 'bd09'; address?: string; areaCode?: string };
  phone: string;
  code: string;
  name?: string;
  anonymous: boolean;
  via: 'web' | 'qr';
}

export interface Reported {
  number: string;
  queryCode: string;
}

export interface PublicTimelineEvent {
  kind: string;
  at: string;
  reply?: string;
  resolution?: string;
  rating?: string;
}

export interface PublicTicket {
  number: string;
  title: string;
  status: string;
  statusName: { zh: string; en: string } | null;
  createdAt: string;
  dueAt: string | null;
  canRate: boolean;
  timeline: PublicTimelineEvent[];
}

export interface LocateResult {
  inside: boolean;
  gridCell?: { code: string; name: string } | null;
  community?: { code: string; name: string } | null;
  subdistrict?: { code: string; name: string } | null;
  message?: { zh: string; en: string };
}

export const NUMBER_RE = /^\d{8}-\d{6}$/;
export const CODE_RE = /^\d{6}$/;
export const PHONE_RE = /^1\d{10}$/;

async function call<T>(path: string, init: { method?: 'GET' | 'POST'; body?: unknown; headers?: Record<string, string> } = {}): Promise<T> {
  const method = init.method ?? 'GET';
  const headers: Record<string, string> = { Accept: 'application/json', 'Accept-Language': currentLanguage(), ...init.headers };
  let body: string | undefined;
  if (method !== 'GET') {
    headers['x-minsheng-csrf'] = '1';
    headers['Content-Type'] = 'application/json';
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
      // not JSON: keep the generic message
    }
    throw new ApiError(res.status, code, message);
  }
  const text = await res.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

/** A random UUID, also where crypto.randomUUID is missing (plain-http pages are not a secure context). */
export function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

export const residentApi = {
  sendCode: (phone: string) => call<{ expiresInSeconds: number }>('/api/v1/public/verification-codes', { method: 'POST', body: { phone } }),
  report: (body: ReportBody, idempotencyKey: string) =>
    call<Reported>('/api/v1/public/tickets', { method: 'POST', body, headers: { 'Idempotency-Key': idempotencyKey } }),
  track: (number: string, code: string) =>
    call<PublicTicket>(`/api/v1/public/tickets/${encodeURIComponent(number)}?code=${encodeURIComponent(code)}`),
  rate: (number: string, code: string, rating: PublicRating) =>
    call<PublicTicket>(`/api/v1/public/tickets/${encodeURIComponent(number)}/rating`, { method: 'POST', body: { code, rating } }),
  locate: (lon: number, lat: number) =>
    call<LocateResult>(`/api/v1/areas/locate?lon=${lon}&lat=${lat}&crs=wgs84`),
};

export function errorText(e: unknown): string {
  return e instanceof ApiError ? e.message : i18n.t('common.networkError');
}
