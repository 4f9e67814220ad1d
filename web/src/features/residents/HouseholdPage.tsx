import { Card, Descriptions, Table, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { useFetch } from '../../shared/useFetch';

interface Member {
  personId: string;
  name: string;
  sex: 'M' | 'F';
  age: number;
  idNumberMasked: string;
  relationship: string;
  validFrom: string;
  validTo: string | null;
  current: boolean;
  diedOn: string | null;
  movedOutOn: string | null;
  monthlyIncomeFen: number | null;
  statuses: string[];
}
interface HouseholdDetail {
  household: { id: string; code: string; address: string; lon: number; lat: number; gridCode: string; isDemo: boolean };
  members: Member[];
  size: number;
  monthlyIncomeFen: number;
  perCapitaIncomeFen: number;
  today: string;
}

const yuan = (fen: number) => (Number(fen) / 100).toFixed(2);

/** 户详情: members (current and former), household income and per-capita income today. */
export default function HouseholdPage() {
  const { id } = useParams();
  const { t } = useTranslation();
  const tk = (key: string, fallback?: string) => t(key as 'residents.title', fallback ?? key);
  const { data, loading } = useFetch<HouseholdDetail>(id ? `/api/v1/residents/households/${id}` : null);
  return (
    <Card title={data ? `${t('residents.household')} ${data.household.code}` : t('residents.household')} loading={loading} data-testid="household-card">
      {data ? (
        <>
          <Descriptions size="small" column={{ xs: 1, md: 3 }} style={{ marginBottom: 16 }}>
            <Descriptions.Item label={t('residents.address')}>{data.household.address}</Descriptions.Item>
            <Descriptions.Item label={t('residents.grid')}>{data.household.gridCode}</Descriptions.Item>
            <Descriptions.Item label={t('residents.size')}>{data.size}</Descriptions.Item>
            <Descriptions.Item label={t('residents.householdIncome')}>{yuan(data.monthlyIncomeFen)}</Descriptions.Item>
            <Descriptions.Item label={t('residents.perCapita')}>{yuan(data.perCapitaIncomeFen)}</Descriptions.Item>
            <Descriptions.Item label="WGS-84">{`${data.household.lon.toFixed(5)}, ${data.household.lat.toFixed(5)}`}</Descriptions.Item>
          </Descriptions>
          <Table<Member>
            size="small"
            rowKey={(m) => `${m.personId}${m.validFrom}`}
            pagination={false}
            dataSource={data.members}
            columns={[
              { title: t('residents.name'), render: (_, m) => <Link to={`/residents/persons/${m.personId}`}>{m.name}</Link> },
              { title: t('residents.relationship'), render: (_, m) => tk(`residents.rel.${m.relationship}`) },
              { title: t('residents.idNumber'), dataIndex: 'idNumberMasked' },
              { title: t('residents.sexAge'), render: (_, m) => `${tk(`residents.sex.${m.sex}`)} · ${m.age}` },
              { title: t('residents.incomeYuan'), render: (_, m) => (m.monthlyIncomeFen === null ? '—' : yuan(m.monthlyIncomeFen)) },
              { title: t('residents.period'), render: (_, m) => `${m.validFrom} → ${m.validTo ?? t('residents.open')}` },
              {
                title: t('residents.status'),
                render: (_, m) => (
                  <>
                    {!m.current ? <Tag>{m.diedOn ? t('residents.died') : m.movedOutOn ? t('residents.movedOut') : t('residents.former')}</Tag> : null}
                    {m.statuses.map((s) => <Tag key={s} color="blue">{tk(`residents.statuses.${s}`, s)}</Tag>)}
                  </>
                ),
              },
            ]}
          />
        </>
      ) : null}
    </Card>
  );
}
