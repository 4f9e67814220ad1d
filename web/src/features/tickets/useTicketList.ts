import { useCallback, useEffect, useState } from 'react';
import type { TicketStatus, TicketView } from '../../shared/types';
import { listTickets, type ListFilter } from './ticketsApi';

/** The API's largest page: a view over several statuses shows at most this many of each. */
const MERGE_LIMIT = 200;

export interface TicketQuery extends Omit<ListFilter, 'status'> {
  /** none: every status; one: server-side paging; several: merged here, newest first */
  statuses?: readonly (TicketStatus | 'open')[];
}

export interface TicketList {
  items: TicketView[];
  total: number;
  /** a multi-status view hit MERGE_LIMIT for some status */
  truncated: boolean;
  loading: boolean;
  reload: () => void;
}

export function useTicketList(query: TicketQuery, page: number, pageSize: number): TicketList {
  const [state, setState] = useState<Omit<TicketList, 'reload' | 'loading'>>({ items: [], total: 0, truncated: false });
  const [loading, setLoading] = useState(true);
  const [token, setToken] = useState(0);
  const reload = useCallback(() => setToken((n) => n + 1), []);
  const key = JSON.stringify(query);

  useEffect(() => {
    const q = JSON.parse(key) as TicketQuery;
    const { statuses = [], ...filter } = q;
    const controller = new AbortController();
    setLoading(true);
    const run = async () => {
      if (statuses.length <= 1) {
        const r = await listTickets({ ...filter, status: statuses[0] }, page, pageSize, controller.signal);
        return { items: r.items, total: r.total, truncated: false };
      }
      const pages = await Promise.all(statuses.map((status) => listTickets({ ...filter, status }, 1, MERGE_LIMIT, controller.signal)));
      const all = pages.flatMap((p) => p.items).sort((a, b) => b.createdAt.localeCompare(a.createdAt));
      return {
        items: all.slice((page - 1) * pageSize, page * pageSize),
        total: all.length,
        truncated: pages.some((p) => p.total > p.items.length),
      };
    };
    run().then(
      (r) => {
        setState(r);
        setLoading(false);
      },
      () => {
        if (!controller.signal.aborted) setLoading(false); // the API layer showed the error
      },
    );
    return () => controller.abort();
  }, [key, page, pageSize, token]);

  return { ...state, loading, reload };
}
