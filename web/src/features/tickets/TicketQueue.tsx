import { Alert, Button, Checkbox, Input, Select, Tabs } from 'antd';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';
import { TICKET_CHANNELS, TICKET_STATUSES, type TicketChannel, type TicketStatus } from '../../shared/types';
import { TicketTable } from './TicketTable';
import { useTicketList, type TicketQuery } from './useTicketList';
import { useUnits } from './useUnits';
import './tickets.css';

export interface QueueView {
  key: string;
  label: string;
  query: TicketQuery;
  /** A view with its own content instead of the filtered table (e.g. 待人工分类 from the analysis module). */
  render?: () => ReactNode;
}

interface Props {
  views: QueueView[];
  /** shown at the right of the toolbar (e.g. the 登记诉求 button); gets `reload` */
  extra?: (reload: () => void) => ReactNode;
}

type StatusFilter = TicketStatus | 'open';

/**
 * A ticket queue: preset views as tabs, filters, the table. View, filters and page live in the URL
 * so that going back from a ticket returns to the same list.
 */
export function TicketQueue({ views, extra }: Props) {
  const [params, setParams] = useSearchParams();
  const view = views.find((v) => v.key === params.get('view')) ?? views[0]!;

  const update = (next: Record<string, string | undefined>) => {
    const p = new URLSearchParams(params);
    for (const [k, v] of Object.entries(next)) {
      if (v === undefined || v === '') p.delete(k);
      else p.set(k, v);
    }
    if (!('page' in next)) p.delete('page');
    setParams(p, { replace: true });
  };

  return (
    <div data-testid="ticket-queue">
      <Tabs
        activeKey={view.key}
        onChange={(key) => update({ view: key, status: undefined })}
        items={views.map((v) => ({ key: v.key, label: <span data-testid={`ticket-view-${v.key}`}>{v.label}</span> }))}
      />
      {view.render ? (
        view.render()
      ) : (
        <QueueTable view={view} views={views} extra={extra} params={params} update={update} />
      )}
    </div>
  );
}

interface QueueTableProps extends Props {
  view: QueueView;
  params: URLSearchParams;
  update: (next: Record<string, string | undefined>) => void;
}

/** The filters and the table of a query view. */
function QueueTable({ view, views, extra, params, update }: QueueTableProps) {
  const { t } = useTranslation();
  const units = useUnits();
  const status = (params.get('status') as StatusFilter | null) ?? undefined;
  const overdue = params.get('overdue') === 'true';
  const channel = (params.get('channel') as TicketChannel | null) ?? undefined;
  const q = params.get('q') ?? '';
  const page = Number(params.get('page')) || 1;
  const [pageSize, setPageSize] = useState(20);
  const [search, setSearch] = useState(q);
  const query: TicketQuery = {
    ...view.query,
    ...(status ? { statuses: [status] } : {}),
    ...(overdue ? { overdue: true } : {}),
    ...(channel ? { channel } : {}),
    ...(q ? { q } : {}),
  };
  const list = useTicketList(query, page, pageSize);

  return (
    <>
      <div className="ms-toolbar">
        <Input.Search
          allowClear
          value={search}
          placeholder={t('tickets.searchPlaceholder')}
          style={{ width: 240 }}
          data-testid="ticket-search"
          onChange={(e) => setSearch(e.target.value)}
          onSearch={(value) => update({ q: value.trim() })}
        />
        <Select<StatusFilter>
          allowClear
          placeholder={t('tickets.allStatuses')}
          style={{ width: 160 }}
          value={status}
          data-testid="ticket-status-filter"
          onChange={(value) => update({ status: value, view: value ? views.at(-1)?.key : view.key })}
          options={[
            { value: 'open', label: t('tickets.statusOpen') },
            ...TICKET_STATUSES.map((s) => ({ value: s, label: t(`tickets.statuses.${s}`) })),
          ]}
        />
        <Select<TicketChannel>
          allowClear
          placeholder={t('tickets.allChannels')}
          style={{ width: 150 }}
          value={channel}
          data-testid="ticket-channel-filter"
          onChange={(value) => update({ channel: value })}
          options={TICKET_CHANNELS.map((c) => ({ value: c, label: t(`tickets.channels.${c}`) }))}
        />
        <Checkbox
          checked={overdue || view.query.overdue === true}
          disabled={view.query.overdue === true}
          data-testid="ticket-overdue-filter"
          onChange={(e) => update({ overdue: e.target.checked ? 'true' : undefined })}
        >
          {t('tickets.overdueOnly')}
        </Checkbox>
        <span className="ms-toolbar__spacer" />
        <Button onClick={list.reload} data-testid="ticket-reload">
          ↻
        </Button>
        {extra?.(list.reload)}
      </div>
      {list.truncated && (
        <Alert type="info" showIcon style={{ marginBottom: 8 }} title={t('tickets.truncated', { shown: list.items.length, total: list.total })} />
      )}
      <TicketTable
        items={list.items}
        total={list.total}
        loading={list.loading}
        page={page}
        pageSize={pageSize}
        units={units}
        onPage={(p, size) => {
          setPageSize(size);
          update({ page: p > 1 ? String(p) : undefined });
        }}
      />
    </>
  );
}
