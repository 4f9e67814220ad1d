import { Alert, Card, Empty, List, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { currentLanguage } from '../../i18n';
import { formatDateTime } from '../../shared/format';
import { MicroShell } from './MicroShell';
import { PhoneGate } from './PhoneGate';
import { errorText, publicMicroApi, residentToken, type MyActivity } from './microApi';
import { STATUS_COLOR } from './status';

/** 我的: the proposals I made or support, and every notice sent to me. */
export default function MyPage() {
  const { t } = useTranslation();
  const [verified, setVerified] = useState(() => residentToken.get() !== null);
  const [data, setData] = useState<MyActivity | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (!verified) return setData(null);
    publicMicroApi.me().then(setData, (e: unknown) => setError(errorText(e)));
  }, [verified]);

  return (
    <MicroShell>
      <Typography.Title level={4} style={{ marginTop: 0 }}>
        {t('micro.mineTitle')}
      </Typography.Title>
      <PhoneGate onChange={(p) => setVerified(p !== null)} />
      {error && <Alert type="error" showIcon title={error} />}
      {data && (
        <>
          <Card size="small" title={t('micro.myProposals')}>
            {data.proposals.length === 0 ? (
              <Empty description={t('micro.none')} />
            ) : (
              <List
                dataSource={data.proposals}
                renderItem={(m) => (
                  <List.Item>
                    <Link to={`/micro/p/${m.number}`}>{m.title}</Link>
                    <span>
                      <Tag>{t(`micro.role.${m.role}`)}</Tag>
                      <Tag color={STATUS_COLOR[m.status]}>{t(`micro.status.${m.status}`)}</Tag>
                    </span>
                  </List.Item>
                )}
              />
            )}
          </Card>
          <Card size="small" title={t('micro.myNotices')} data-testid="micro-notices">
            {data.notifications.length === 0 ? (
              <Empty description={t('micro.noNotices')} />
            ) : (
              <List
                dataSource={data.notifications}
                renderItem={(n) => (
                  <List.Item data-testid="micro-notice" data-kind={n.kind}>
                    <div>
                      <div>{n.text}</div>
                      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                        {formatDateTime(n.at, currentLanguage()).slice(0, 16)} · {t(`micro.noticeStatus.${n.status === 'sent' ? 'sent' : 'pending'}`)}
                      </Typography.Text>
                    </div>
                  </List.Item>
                )}
              />
            )}
          </Card>
        </>
      )}
    </MicroShell>
  );
}
