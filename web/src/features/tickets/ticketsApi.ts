import { api, ApiError, withQuery, type Query } from '../../api';
import i18n, { currentLanguage } from '../../i18n';
import { ACT_SEGMENTS } from '../../../../src/domain/tickets/core/lifecycle';
import type { Page, TicketAct, TicketStatus, TicketView } from '../../shared/types';

export const TICKETS = '/api/v1/tickets';

/** URL segment of each act: the server's own table. */
export const ACT_SEGMENT = ACT_SEGMENTS;


export const ticketPath = (id: string) => `${TICKETS}/${encodeURIComponent(id)}`;

export function postAct(id: string, act: TicketAct, body: object): Promise<{ ticket: TicketView }> {
  return api.post<{ ticket: TicketView }>(`${ticketPath(id)}/${ACT_SEGMENT[act]}`, body);
}

export interface CreateTicketBody {
  type: string;
  channel: string;
  title: string;
  content: string;
  urgency: string;
  categoryCode?: string;
  location?: { lon?: number; lat?: number; crs?: 'wgs84'; address?: string };
  requester?: { name?: string; phone?: string; anonymous: boolean };
}

/**
 * POST /tickets with an Idempotency-Key: the same key replays the first ticket, never makes two.
 * The shared client sends no custom headers, so this call is made here; its errors are thrown as
 * ApiError (not shown): the form shows them.
 */
export async function createTicket(body: CreateTicketBody, idempotencyKey: string): Promise<{ ticket: TicketView }> {
  let response: Response;
  try {
    response = await fetch(TICKETS, {
      method: 'POST',
      credentials: 'same-origin',
      headers: {
        Accept: 'application/json',
        'Accept-Language': currentLanguage(),
        'Content-Type': 'application/json',
        'x-minsheng-csrf': '1',
        'Idempotency-Key': idempotencyKey,
      },
      body: JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, 'network', i18n.t('common.networkError'));
  }
  if (response.ok) return (await response.json()) as { ticket: TicketView };
  let code = `http_${response.status}`;
  let message: string = i18n.t('common.requestFailed', { status: response.status });
  try {
    const error = ((await response.json()) as { error?: { code?: unknown; message?: unknown } } | null)?.error;
    if (typeof error?.code === 'string') code = error.code;
    if (typeof error?.message === 'string' && error.message) message = error.message;
  } catch {
    // not JSON
  }
  throw new ApiError(response.status, code, message);
}

export interface ListFilter {
  status?: TicketStatus | 'open';
  overdue?: boolean;
  channel?: string;
  q?: string;
  unit?: string;
}

export function listPath(f: ListFilter, page: number, pageSize: number): string {
  const query: Query = {
    status: f.status,
    overdue: f.overdue ? 'true' : undefined,
    channel: f.channel,
    q: f.q,
    unit: f.unit,
    page,
    pageSize,
  };
  return withQuery(TICKETS, query);
}

export function listTickets(f: ListFilter, page: number, pageSize: number, signal?: AbortSignal): Promise<Page<TicketView>> {
  return api.get<Page<TicketView>>(listPath(f, page, pageSize), { signal });
}
