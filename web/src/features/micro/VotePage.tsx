import { Alert, Button, Card, Checkbox, Spin, Tag, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { MicroShell } from './MicroShell';
import { PhoneGate } from './PhoneGate';
import { errorText, publicMicroApi, residentToken, yuan, type RoundDetail } from './microApi';

/** 票决: choose between the minimum and maximum number of proposals; one ballot per phone. */
export default function VotePage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const [data, setData] = useState<RoundDetail | null>(null);
  const [chosen, setChosen] = useState<string[]>([]);
  const [verified, setVerified] = useState(() => residentToken.get() !== null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(() => {
    publicMicroApi.round(id).then(setData, (e: unknown) => setError(errorText(e)));
  }, [id]);
  useEffect(load, [load, verified]);

  if (!data) {
    return <MicroShell>{error ? <Alert type="error" showIcon title={error} /> : <Spin />}</MicroShell>;
  }
  const r = data.round;
  const over = chosen.length > r.maxItems;
  const under = chosen.length < r.minItems;
  const vote = async () => {
    setBusy(true);
    setError(null);
    try {
      setData(await publicMicroApi.vote(id, chosen));
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <MicroShell>
      <Typography.Title level={4} style={{ marginTop: 0 }}>
        {r.title}
      </Typography.Title>
      <Typography.Paragraph className="ms-pub__intro">{t('micro.voteRules', { budget: yuan(r.budgetFen), min: r.minItems, max: r.maxItems })}</Typography.Paragraph>
      {r.status === 'closed' && <Alert type="info" showIcon title={t('micro.roundClosed')} />}
      <Card size="small">
        <Checkbox.Group value={chosen} onChange={(v) => setChosen(v)} style={{ display: 'grid', gap: 10 }} disabled={r.status !== 'open' || data.me?.hasVoted === true}>
          {data.proposals.map((p) => (
            <Checkbox key={p.id} value={p.id} data-testid="micro-vote-option">
              <Link to={`/micro/p/${p.number}`}>{p.title}</Link> <Tag>{t('micro.costShort', { yuan: yuan(p.costFen) })}</Tag>
            </Checkbox>
          ))}
        </Checkbox.Group>
      </Card>
      {data.me?.hasVoted ? (
        <Alert type="success" showIcon title={t('micro.voted')} style={{ marginTop: 12 }} data-testid="micro-voted" />
      ) : r.status === 'open' ? (
        <>
          <div style={{ marginTop: 12 }}>
            <PhoneGate onChange={(p) => setVerified(p !== null)} />
          </div>
          {over && <Alert type="warning" showIcon title={t('micro.tooMany', { max: r.maxItems })} style={{ marginTop: 12 }} />}
          {error && <Alert type="error" showIcon title={error} style={{ marginTop: 12 }} data-testid="micro-vote-error" />}
          <Button type="primary" block size="large" style={{ marginTop: 12 }} disabled={!verified || over || under} loading={busy} onClick={() => void vote()} data-testid="micro-vote">
            {t('micro.castVote', { n: chosen.length })}
          </Button>
        </>
      ) : null}
    </MicroShell>
  );
}
