import { Card, Empty, List, Space, Tag, Typography } from 'antd';
import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { useFetch } from '../../shared/useFetch';

export interface HotIssueItem {
  rank: number;
  hotIndex: number;
  label: string;
  place: string | null;
  keywords: string[];
  title: string;
  description: string;
  timeRange: { from: string; to: string };
  messages: number;
  requesters: number;
  support: number;
  spanDays: number;
  gridCellCode: string | null;
  areaName: string | null;
  center: { lon: number; lat: number } | null;
  repeatComplaint: boolean;
  tickets: Array<{ id: string; number: string; title: string; status: string; createdAt: string; lon: number | null; lat: number | null; gridCell: string | null; category: string | null }>;
}

export interface HotIssues {
  days: number;
  ticketsConsidered: number;
  items: HotIssueItem[];
}

export const hotColor = (x: number) => (x >= 60 ? 'red' : x >= 40 ? 'volcano' : x >= 25 ? 'orange' : 'gold');

/** 领导看板: the five hottest issues of the last 30 days. */
export function HotIssuesCard() {
  const { t } = useTranslation();
  const { data } = useFetch<HotIssues>('/api/v1/analysis/hot-issues?days=30&top=5');
  const items = data?.items ?? [];
  return (
    <Card size="small" title={t('insights.hot.cardTitle')} extra={<Link to="/analysis/hot">{t('insights.hot.viewAll')}</Link>} data-testid="dashboard-hot-issues">
      {items.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('insights.hot.none')} />
      ) : (
        <List
          size="small"
          dataSource={items}
          renderItem={(h) => (
            <List.Item data-testid="hot-issue">
              <Space wrap>
                <Tag color={hotColor(h.hotIndex)}>{h.hotIndex.toFixed(1)}</Tag>
                <Typography.Text strong>{h.label}</Typography.Text>
                <Typography.Text type="secondary">{t('insights.hot.counts', { messages: h.messages, requesters: h.requesters })}</Typography.Text>
                {h.repeatComplaint && <Tag color="magenta">{t('insights.hot.repeat')}</Tag>}
              </Space>
            </List.Item>
          )}
        />
      )}
    </Card>
  );
}
