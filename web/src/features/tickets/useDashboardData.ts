import { useEffect, useState } from 'react';
import { api, withQuery } from '../../api';
import { TICKET_STATUSES, type TicketStatsTotals, type TicketStatus, type TicketView } from '../../shared/types';
import { listTickets, TICKETS } from './ticketsApi';

/** Open tickets read for the chart and the map: at most this many pages of 200. */
const MAX_PAGES = 10;

export interface DashboardData {
  counts: Record<TicketStatus, number>;
  open: number;
  overdue: number;
  openTickets: TicketView[];
  /** 三率 this month from GET /tickets/stats, null while that API is not there */
  rates: TicketStatsTotals | null;
}

const shanghaiDate = (d: Date) => new Date(d.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);

async function monthRates(signal: AbortSignal): Promise<TicketStatsTotals | null> {
  const now = new Date();
  const today = shanghaiDate(now);
  const tomorrow = shanghaiDate(new Date(now.getTime() + 86_400_000));
  try {
    const r = await api.get<{ totals?: TicketStatsTotals }>(withQuery(`${TICKETS}/stats`, { from: `${today.slice(0, 8)}01`, to: tomorrow, by: 'subdistrict' }), {
      signal,
      quiet: true,
    });
    return r.totals ?? null;
  } catch {
    return null; // 404 (or the id route's 400) until the stats API lands: the dashboard works without it
  }
}

/** Counts from the list API's totals (pageSize 1), open tickets in pages, rates if available. */
export function useDashboardData(token: number): { data: DashboardData | null; loading: boolean } {
  const [data, setData] = useState<DashboardData | null>(null);
  const [loading, setLoading] = useState(true);

  useEffect(() => {
    const controller = new AbortController();
    const { signal } = controller;
    setLoading(true);
    const run = async (): Promise<DashboardData> => {
      const [statusTotals, open, overdue, rates] = await Promise.all([
        Promise.all(TICKET_STATUSES.map((status) => listTickets({ status }, 1, 1, signal).then((r) => r.total))),
        listTickets({ status: 'open' }, 1, 200, signal),
        listTickets({ status: 'open', overdue: true }, 1, 1, signal),
        monthRates(signal),
      ]);
      const openTickets = [...open.items];
      const pages = Math.min(MAX_PAGES, Math.ceil(open.total / 200));
      for (let page = 2; page <= pages; page++) openTickets.push(...(await listTickets({ status: 'open' }, page, 200, signal)).items);
      const counts = Object.fromEntries(TICKET_STATUSES.map((s, i) => [s, statusTotals[i] ?? 0])) as Record<TicketStatus, number>;
      return { counts, open: open.total, overdue: overdue.total, openTickets, rates };
    };
    run().then(
      (d) => {
        setData(d);
        setLoading(false);
      },
      () => {
        if (!signal.aborted) setLoading(false);
      },
    );
    return () => controller.abort();
  }, [token]);

  return { data, loading };
}
