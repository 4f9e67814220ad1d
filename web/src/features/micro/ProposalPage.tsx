import { Alert, Button, Card, Descriptions, Spin, Tag, Timeline, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router-dom';
import { currentLanguage } from '../../i18n';
import { formatDateTime } from '../../shared/format';
import { MicroShell } from './MicroShell';
import { PhoneGate } from './PhoneGate';
import { errorText, publicMicroApi, residentToken, yuan, type PublicProposal, type PublicStep } from './microApi';
import { isStepKind, STATUS_COLOR } from './status';

const STAGE_COLOR: Record<string, string> = { accepted: 'green', design_started: 'purple', construction_started: 'orange', completed: 'green', rejected: 'gray', merged: 'gray', dropped_by_vote: 'gray' };

/** A proposal and its steps: what the proposer and every supporter follow (no login). */
export default function ProposalPage() {
  const { t } = useTranslation();
  const { number = '' } = useParams();
  const [data, setData] = useState<PublicProposal | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [supportError, setSupportError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [verified, setVerified] = useState(() => residentToken.get() !== null);

  const load = useCallback(() => {
    publicMicroApi.get(number).then(setData, (e: unknown) => setError(errorText(e)));
  }, [number]);
  useEffect(load, [load, verified]);

  const support = async () => {
    setBusy(true);
    setSupportError(null);
    try {
      setData(await publicMicroApi.support(number));
    } catch (e) {
      setSupportError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  if (error) {
    return (
      <MicroShell>
        <Alert type="error" showIcon title={error} />
      </MicroShell>
    );
  }
  if (!data) {
    return (
      <MicroShell>
        <div className="ms-center">
          <Spin />
        </div>
      </MicroShell>
    );
  }
  const p = data.proposal;
  const step = (s: PublicStep) => {
    const kind = isStepKind(s.kind) ? s.kind : 'submitted';
    return {
      key: s.seq,
      color: STAGE_COLOR[s.kind] ?? 'blue',
      children: (
        <div data-testid="micro-step" data-kind={s.kind}>
          <Typography.Text strong>{t(`micro.steps.${kind}`)}</Typography.Text>{' '}
          {s.date && <span className="ms-micro-stage-date">{s.date}</span>}
          <div style={{ color: 'rgba(0,0,0,0.45)', fontSize: 12 }}>{formatDateTime(s.at, currentLanguage()).slice(0, 16)}</div>
          {s.reason && <div>{t('micro.reason')}：{s.reason}</div>}
          {s.intoNumber && <div>{t('micro.mergedInto', { number: s.intoNumber })}</div>}
          {s.note && <div>{s.note}</div>}
          {s.votes !== null && <div>{t('micro.votes', { n: s.votes })}</div>}
          {s.budgetLine && <div>{t('micro.budgetLine')}：{s.budgetLine}</div>}
          {s.projectItemTitle && <div>{t('micro.projectItem')}：{s.projectItemTitle}</div>}
          {s.notified > 0 && <Tag style={{ marginTop: 4 }}>{t('micro.notified', { n: s.notified })}</Tag>}
        </div>
      ),
    };
  };

  return (
    <MicroShell>
      <Card data-testid="micro-proposal" data-status={p.status}>
        <Typography.Title level={4} style={{ marginTop: 0 }}>
          {p.title} {p.isDemo && <Tag>{t('common.demo')}</Tag>}
        </Typography.Title>
        <Tag color={STATUS_COLOR[p.status]} data-testid="micro-status" data-status={p.status}>
          {t(`micro.status.${p.status}`)}
        </Tag>
        <Typography.Paragraph style={{ marginTop: 12, whiteSpace: 'pre-wrap' }}>{p.description}</Typography.Paragraph>
        <Descriptions column={1} size="small">
          <Descriptions.Item label={t('micro.number')}>{p.number}</Descriptions.Item>
          <Descriptions.Item label={t('micro.cost')}>{t('micro.costShort', { yuan: yuan(p.costFen) })}</Descriptions.Item>
          {p.place.address && <Descriptions.Item label={t('micro.address')}>{p.place.address}</Descriptions.Item>}
          <Descriptions.Item label={t('micro.supports')}>
            <span data-testid="micro-supports">{p.supports + p.mergedSupports}</span>
          </Descriptions.Item>
          {p.mergedInto && <Descriptions.Item label={t('micro.mergedIntoLabel')}>{p.mergedInto}</Descriptions.Item>}
        </Descriptions>
        {data.photos.length > 0 && (
          <div className="ms-micro-photos">
            {data.photos.map((f) => (
              <img key={f.id} src={`/api/v1/public/micro/proposals/${p.number}/photos/${f.id}`} alt={f.fileName} />
            ))}
          </div>
        )}
      </Card>

      {data.canSupport && (
        <Card size="small" title={t('micro.supportTitle')}>
          {data.me?.hasSupported ? (
            <Typography.Text type="success" data-testid="micro-supported">
              ✓ {t('micro.supported')}
            </Typography.Text>
          ) : data.me?.isProposer ? (
            <Typography.Text type="secondary">{t('micro.ownProposal')}</Typography.Text>
          ) : verified ? (
            <Button type="primary" size="large" block loading={busy} onClick={() => void support()} data-testid="micro-support">
              {t('micro.support')}
            </Button>
          ) : (
            <PhoneGate compact onChange={(phone) => setVerified(phone !== null)} />
          )}
          {supportError && <Alert type="error" showIcon title={supportError} style={{ marginTop: 8 }} data-testid="micro-support-error" />}
        </Card>
      )}

      <Card size="small" title={t('micro.progress')}>
        <Timeline items={data.timeline.map(step)} data-testid="micro-timeline" />
      </Card>
    </MicroShell>
  );
}
