import { Alert, Button, Card, Descriptions, Form, Input, Modal, Space, Table, Tag } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { api, attempt } from '../../api';
import { useFetch } from '../../shared/useFetch';
import { PersonBenefitsPanel } from '../benefits/PersonBenefitsPanel';
import type { PersonItem } from './types';

interface Dated {
  validFrom: string;
  validTo: string | null;
}
interface PersonDetail {
  person: PersonItem;
  current: (Dated & { maritalStatus: string | null; hukouType: string; hukouPlace: string | null; disabilityType: string | null; disabilityGrade: number | null; spouseName: string | null }) | null;
  history: {
    statuses: (Dated & { status: string; source: string })[];
    receipts: { benefitCode: string; periodFrom: string; periodTo: string | null; amountFen: number }[];
    incomes: { declaredOn: string; monthlyIncomeFen: number }[];
    memberships: (Dated & { householdId: string; householdCode: string; relationship: string })[];
  };
  corrections: { id: string; field: string; note: string; status: string; source: string }[];
  canReveal: boolean;
  today: string;
}

const yuan = (fen: number) => (Number(fen) / 100).toFixed(2);

/** 人员详情: masked; the full ID number/phone only with a purpose (audited); the benefits panel. */
export default function PersonPage() {
  const { id } = useParams();
  const { t } = useTranslation();
  const tk = (key: string, fallback?: string) => t(key as 'residents.title', fallback ?? key);
  const { data, loading } = useFetch<PersonDetail>(id ? `/api/v1/residents/persons/${id}` : null);
  const [revealOpen, setRevealOpen] = useState(false);
  const [revealed, setRevealed] = useState<{ idNumber?: string; phone?: string | null }>();
  const p = data?.person;
  const period = (d: Dated) => `${d.validFrom} → ${d.validTo ?? t('residents.open')}`;
  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      <Card title={p ? `${p.name}${p.isDemo ? ` · ${t('residents.demo')}` : ''}` : t('residents.person')} loading={loading} data-testid="person-card"
        extra={data?.canReveal ? <Button onClick={() => setRevealOpen(true)} data-testid="person-reveal">{t('residents.reveal')}</Button> : null}>
        {p ? (
          <Descriptions column={{ xs: 1, md: 2 }} size="small">
            <Descriptions.Item label={t('residents.idNumber')}>
              <span data-testid="person-id-number">{revealed?.idNumber ?? p.idNumber}</span>
            </Descriptions.Item>
            <Descriptions.Item label={t('residents.phone')}>{revealed?.phone ?? p.phone ?? '—'}</Descriptions.Item>
            <Descriptions.Item label={t('residents.sexAge')}>{`${tk(`residents.sex.${p.sex}`)} · ${p.birthDate} · ${p.age}`}</Descriptions.Item>
            <Descriptions.Item label={t('residents.household')}>
              {p.household ? <Link to={`/residents/households/${p.household.id}`}>{`${p.household.code} · ${tk(`residents.rel.${p.household.relationship ?? 'other'}`)}`}</Link> : '—'}
            </Descriptions.Item>
            <Descriptions.Item label={t('residents.address')}>{p.household?.address ?? '—'}</Descriptions.Item>
            <Descriptions.Item label={t('residents.hukou')}>{data?.current ? tk(`residents.hukouTypes.${data.current.hukouType}`) : '—'}</Descriptions.Item>
            <Descriptions.Item label={t('residents.marital')}>{data?.current?.maritalStatus ? tk(`residents.maritalStatus.${data.current.maritalStatus}`) : '—'}{data?.current?.spouseName ? ` · ${data.current.spouseName}` : ''}</Descriptions.Item>
            <Descriptions.Item label={t('residents.disability')}>{data?.current?.disabilityType ? `${data.current.disabilityType} · ${data.current.disabilityGrade}` : '—'}</Descriptions.Item>
            <Descriptions.Item label={t('residents.registered')}>{`${p.registeredFrom}${p.movedOutOn ? ` · ${t('residents.movedOut')} ${p.movedOutOn}` : ''}${p.diedOn ? ` · ${t('residents.died')} ${p.diedOn}` : ''}`}</Descriptions.Item>
          </Descriptions>
        ) : null}
      </Card>
      {data ? (
        <Card title={t('residents.statusHistory')} size="small">
          <Table size="small" rowKey={(r) => `${r.status}${r.validFrom}`} pagination={false} dataSource={data.history.statuses}
            columns={[
              { title: t('residents.status'), render: (_, r) => <Tag color={r.validTo ? 'default' : 'blue'}>{tk(`residents.statuses.${r.status}`, r.status)}</Tag> },
              { title: t('residents.period'), render: (_, r) => period(r) },
            ]} />
        </Card>
      ) : null}
      {data ? (
        <Card title={t('residents.receipts')} size="small">
          <Table size="small" rowKey={(r) => `${r.benefitCode}${r.periodFrom}`} pagination={{ pageSize: 10 }} dataSource={data.history.receipts} data-testid="person-receipts"
            columns={[
              { title: t('residents.benefit'), dataIndex: 'benefitCode' },
              { title: t('residents.period'), render: (_, r) => `${r.periodFrom} → ${r.periodTo ?? t('residents.open')}` },
              { title: t('residents.amountYuan'), render: (_, r) => yuan(r.amountFen) },
            ]} />
        </Card>
      ) : null}
      {data ? (
        <Card title={t('residents.incomes')} size="small">
          <Table size="small" rowKey="declaredOn" pagination={false} dataSource={data.history.incomes}
            columns={[
              { title: t('residents.declaredOn'), dataIndex: 'declaredOn' },
              { title: t('residents.incomeYuan'), render: (_, r) => yuan(r.monthlyIncomeFen) },
            ]} />
        </Card>
      ) : null}
      {data && data.corrections.length > 0 ? (
        <Alert type="warning" message={t('residents.corrections')} description={data.corrections.map((c) => `${c.field}: ${c.note} (${c.status})`).join('；')} />
      ) : null}
      {/* Mount point for the benefits module: every policy's verdict for this person, explained. */}
      {id ? <PersonBenefitsPanel personId={id} /> : null}
      <Modal open={revealOpen} title={t('residents.reveal')} footer={null} onCancel={() => setRevealOpen(false)} destroyOnHidden>
        <Form
          layout="vertical"
          onFinish={async (v: { purpose: string }) => {
            const r = await attempt(api.post<{ idNumber?: string; phone?: string | null }>(`/api/v1/residents/persons/${id}/reveal`, { fields: ['id_number', 'phone'], purpose: v.purpose }));
            if (r) {
              setRevealed(r.value);
              setRevealOpen(false);
            }
          }}
        >
          <Alert type="info" showIcon message={t('residents.revealHint')} style={{ marginBottom: 12 }} />
          <Form.Item name="purpose" label={t('residents.purpose')} rules={[{ required: true, min: 4, max: 200 }]}>
            <Input data-testid="reveal-purpose" />
          </Form.Item>
          <Button type="primary" htmlType="submit" data-testid="reveal-submit">{t('residents.reveal')}</Button>
        </Form>
      </Modal>
    </Space>
  );
}
