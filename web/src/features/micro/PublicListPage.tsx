import { Alert, Card, Empty, Spin, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router-dom';
import { MicroShell } from './MicroShell';
import { errorText, MICRO_STATUSES, publicMicroApi, yuan, type MicroStatus, type ProposalList, type Round } from './microApi';
import { STATUS_COLOR } from './status';

const isStatus = (s: string | null): s is MicroStatus => (MICRO_STATUSES as readonly (string | null)[]).includes(s);

/** 民生微实事: every proposal of the district, by status, and the open vote rounds. */
export default function PublicListPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const status = isStatus(params.get('status')) ? (params.get('status') as MicroStatus) : undefined;
  const [list, setList] = useState<ProposalList | null>(null);
  const [rounds, setRounds] = useState<Round[]>([]);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    setList(null);
    publicMicroApi.list({ ...(status ? { status } : {}) }).then(setList, (e: unknown) => setError(errorText(e)));
  }, [status]);
  useEffect(() => {
    publicMicroApi.rounds().then((r) => setRounds(r.items.filter((x) => x.status === 'open')), () => undefined);
  }, []);

  const total = list ? Object.values(list.counts).reduce((a, b) => a + (b ?? 0), 0) : 0;
  return (
    <MicroShell>
      <Typography.Title level={4} style={{ marginTop: 0 }}>
        {t('micro.listTitle')}
      </Typography.Title>
      <Typography.Paragraph className="ms-pub__intro">{t('micro.listIntro')}</Typography.Paragraph>
      {rounds.map((r) => (
        <Alert
          key={r.id}
          type="info"
          showIcon
          style={{ marginBottom: 12 }}
          title={
            <Link to={`/micro/rounds/${r.id}`} data-testid="micro-round-link">
              {t('micro.openRound', { title: r.title })}
            </Link>
          }
        />
      ))}
      <div className="ms-micro-counts" data-testid="micro-counts">
        <Tag color={status ? 'default' : 'blue'} onClick={() => setParams({})}>
          {t('micro.all')} {total}
        </Tag>
        {MICRO_STATUSES.filter((s) => list?.counts[s]).map((s) => (
          <Tag key={s} color={status === s ? STATUS_COLOR[s] : 'default'} onClick={() => setParams({ status: s })} data-status={s}>
            {t(`micro.status.${s}`)} {list?.counts[s]}
          </Tag>
        ))}
      </div>
      {error && <Alert type="error" showIcon title={error} />}
      {!list && !error && (
        <div className="ms-center">
          <Spin />
        </div>
      )}
      {list && list.items.length === 0 && <Empty description={t('micro.none')} />}
      {list?.items.map((p) => (
        <Link key={p.id} to={`/micro/p/${p.number}`} className="ms-micro-card" data-testid="micro-card" data-number={p.number}>
          <Card size="small" style={{ marginTop: 10 }}>
            <div className="ms-micro-card__title">
              {p.title} {p.isDemo && <Tag>{t('common.demo')}</Tag>}
            </div>
            <div className="ms-micro-card__meta">
              <Tag color={STATUS_COLOR[p.status]}>{t(`micro.status.${p.status}`)}</Tag>
              <span>{p.number}</span>
              <span>{t('micro.costShort', { yuan: yuan(p.costFen) })}</span>
              <span>{t('micro.supportsShort', { n: p.supports + p.mergedSupports })}</span>
            </div>
          </Card>
        </Link>
      ))}
    </MicroShell>
  );
}
