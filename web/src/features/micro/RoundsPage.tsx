import { Button, Card, Form, Input, InputNumber, Modal, Select, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { attempt } from '../../api';
import { useAuth } from '../auth/AuthContext';
import { useFetch } from '../../shared/useFetch';
import { staffMicroApi, yuan, type ProposalList, type Round, type Tally } from './microApi';

interface RoundForm {
  title: string;
  budgetYuan: number;
  minItems: number;
  maxItems: number;
  proposalIds: string[];
}

/** 票决: open a round over accepted proposals, watch the count, close it (the tally picks within the budget). */
export default function RoundsPage() {
  const { t } = useTranslation();
  const { user } = useAuth();
  const rounds = useFetch<{ items: Round[] }>('/api/v1/micro/rounds');
  const accepted = useFetch<ProposalList>('/api/v1/micro/proposals?status=accepted&pageSize=100');
  const [creating, setCreating] = useState(false);
  const [tally, setTally] = useState<Tally | null>(null);
  const [busy, setBusy] = useState(false);
  const [form] = Form.useForm<RoundForm>();
  const areaCode = user?.areaCode ?? '';

  const create = async (v: RoundForm) => {
    setBusy(true);
    const r = await attempt(staffMicroApi.createRound({ title: v.title, areaCode, budgetFen: Math.round(v.budgetYuan * 100), minItems: v.minItems, maxItems: v.maxItems, proposalIds: v.proposalIds }));
    setBusy(false);
    if (r) {
      setCreating(false);
      form.resetFields();
      rounds.reload();
      accepted.reload();
    }
  };
  const showTally = async (id: string) => {
    const r = await attempt(staffMicroApi.tally(id));
    if (r) setTally(r.value);
  };
  const close = async (id: string) => {
    setBusy(true);
    const r = await attempt(staffMicroApi.close(id));
    setBusy(false);
    if (r) {
      setTally(r.value);
      rounds.reload();
    }
  };

  // Proposals not yet in a round can be put on a ballot.
  const candidates = (accepted.data?.items ?? []).filter((p) => !p.inRound);
  return (
    <Card
      title={t('micro.roundsTitle')}
      extra={
        <Button type="primary" onClick={() => setCreating(true)} disabled={candidates.length < 2} data-testid="micro-round-new">
          {t('micro.newRound')}
        </Button>
      }
    >
      <Typography.Paragraph type="secondary">{t('micro.tallyRule')}</Typography.Paragraph>
      <Table<Round>
        rowKey="id"
        loading={rounds.loading}
        dataSource={rounds.data?.items ?? []}
        pagination={false}
        columns={[
          { title: t('micro.roundTitle'), dataIndex: 'title' },
          { title: t('micro.budget'), dataIndex: 'budgetFen', align: 'right', render: (f: number) => `${yuan(f)} 元` },
          { title: t('micro.perBallot'), render: (_: unknown, r) => `${r.minItems}–${r.maxItems}` },
          { title: t('micro.ballots'), dataIndex: 'ballots', align: 'right' },
          { title: t('micro.statusLabel'), dataIndex: 'status', render: (s: string) => <Tag color={s === 'open' ? 'green' : 'default'}>{t(`micro.roundStatus.${s === 'open' ? 'open' : 'closed'}`)}</Tag> },
          {
            title: t('common.actions'),
            render: (_: unknown, r) => (
              <Space>
                <Button size="small" onClick={() => void showTally(r.id)}>
                  {t('micro.showTally')}
                </Button>
                {r.status === 'open' && (
                  <Button size="small" danger loading={busy} onClick={() => void close(r.id)}>
                    {t('micro.closeRound')}
                  </Button>
                )}
              </Space>
            ),
          },
        ]}
      />
      {tally && (
        <Card size="small" style={{ marginTop: 16 }} title={`${tally.round.title} · ${tally.final ? t('micro.final') : t('micro.soFar')}`}>
          <Typography.Paragraph>{t('micro.tallySummary', { ballots: tally.tally.ballots, budget: yuan(tally.tally.budgetFen), spent: yuan(tally.tally.spentFen), left: yuan(tally.tally.remainingFen) })}</Typography.Paragraph>
          <Table
            rowKey="id"
            size="small"
            pagination={false}
            dataSource={tally.tally.lines}
            columns={[
              { title: '#', dataIndex: 'rank', width: 50 },
              { title: t('micro.number'), dataIndex: 'number', width: 130 },
              { title: t('micro.title'), dataIndex: 'title' },
              { title: t('micro.votesLabel'), dataIndex: 'votes', align: 'right' },
              { title: t('micro.cost'), dataIndex: 'costFen', align: 'right', render: (f: number) => yuan(f) },
              { title: t('micro.result'), dataIndex: 'reason', render: (r: 'selected' | 'no_votes' | 'over_budget') => <Tag color={r === 'selected' ? 'green' : 'default'}>{t(`micro.tallyReason.${r}`)}</Tag> },
            ]}
          />
        </Card>
      )}
      <Modal open={creating} title={t('micro.newRound')} onCancel={() => setCreating(false)} onOk={() => form.submit()} okButtonProps={{ loading: busy }} destroyOnHidden>
        <Form<RoundForm> form={form} layout="vertical" onFinish={(v) => void create(v)} initialValues={{ minItems: 1, maxItems: 2 }}>
          <Form.Item name="title" label={t('micro.roundTitle')} rules={[{ required: true, whitespace: true, max: 60 }]}>
            <Input />
          </Form.Item>
          <Form.Item name="budgetYuan" label={t('micro.budget')} rules={[{ required: true, type: 'number', min: 0.01 }]}>
            <InputNumber min={0.01} precision={2} style={{ width: '100%' }} suffix="元" />
          </Form.Item>
          <Space>
            <Form.Item name="minItems" label={t('micro.minItems')} rules={[{ required: true, type: 'number', min: 1 }]}>
              <InputNumber min={1} precision={0} />
            </Form.Item>
            <Form.Item
              name="maxItems"
              label={t('micro.maxItems')}
              dependencies={['minItems']}
              rules={[
                { required: true, type: 'number', min: 1 },
                ({ getFieldValue }) => ({ validator: async (_, v: number) => { if (v < Number(getFieldValue('minItems'))) throw new Error(t('micro.maxBelowMin')); } }),
              ]}
            >
              <InputNumber min={1} precision={0} />
            </Form.Item>
          </Space>
          <Form.Item name="proposalIds" label={t('micro.candidates')} rules={[{ required: true, type: 'array', min: 2 }]}>
            <Select mode="multiple" options={candidates.map((p) => ({ value: p.id, label: `${p.number} ${p.title}（${yuan(p.costFen)} 元）` }))} />
          </Form.Item>
        </Form>
      </Modal>
    </Card>
  );
}
