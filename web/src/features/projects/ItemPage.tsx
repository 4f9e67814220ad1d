import { Alert, App as AntApp, Button, Card, DatePicker, Descriptions, Form, Input, InputNumber, Modal, Select, Space, Table, Tag, Timeline, Typography, Upload } from 'antd';
import type { UploadFile } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams, useSearchParams } from 'react-router-dom';
import { attempt } from '../../api';
import { currentLanguage } from '../../i18n';
import { formatDateTime } from '../../shared/format';
import { useFetch } from '../../shared/useFetch';
import { ProgressBar, StatusTag, TargetLine } from './ItemBits';
import { STAGES, fileToBase64, projectsApi, todayShanghai, wan, type ItemDetail, type Report, type Stage } from './projectsApi';
import './projects.css';

interface ReportForm {
  asOf: dayjs.Dayjs;
  narrative: string;
  values: Record<string, number | null>;
  achieved: Record<string, dayjs.Dayjs | null>;
  stage: Stage | null;
}

/** One item: targets, milestones, progress reports (report, return, correct) and its history. */
export default function ItemPage() {
  const { t } = useTranslation();
  const lang = currentLanguage();
  const { message } = AntApp.useApp();
  const { id = '' } = useParams();
  const [params] = useSearchParams();
  const date = params.get('date') ?? undefined;
  const { data, reload } = useFetch<ItemDetail>(`/api/v1/projects/items/${id}${date ? `?date=${date}` : ''}`);
  const [form] = Form.useForm<ReportForm>();
  const [files, setFiles] = useState<UploadFile[]>([]);
  const [busy, setBusy] = useState(false);
  const [corrects, setCorrects] = useState<Report | null>(null);
  const [returning, setReturning] = useState<Report | null>(null);
  const [reason, setReason] = useState('');
  const [closing, setClosing] = useState(false);
  const [closeReason, setCloseReason] = useState('');

  if (!data) return <Card loading />;
  const { item } = data;

  const submit = async (v: ReportForm) => {
    setBusy(true);
    const encoded = await Promise.all(files.map(async (f) => ({ fileName: f.name, contentBase64: await fileToBase64(f.originFileObj as File) })));
    const r = await attempt(
      projectsApi.report(item.id, {
        asOf: v.asOf.format('YYYY-MM-DD'),
        narrative: v.narrative,
        values: item.targets.filter((tg) => typeof v.values?.[tg.id] === 'number').map((tg) => ({ targetId: tg.id, value: v.values[tg.id]! })),
        milestones: item.milestones.filter((m) => v.achieved?.[m.id]).map((m) => ({ milestoneId: m.id, achievedOn: v.achieved[m.id]!.format('YYYY-MM-DD') })),
        stage: v.stage ?? null,
        correctsId: corrects?.id ?? null,
        files: encoded,
      }),
    );
    setBusy(false);
    if (r) {
      void message.success(t('projects.submitted'));
      form.resetFields();
      setFiles([]);
      setCorrects(null);
      reload();
    }
  };

  const doReturn = async () => {
    if (!returning || !reason.trim()) return;
    if (await attempt(projectsApi.returnReport(returning.id, reason.trim()))) {
      setReturning(null);
      setReason('');
      reload();
    }
  };
  const doClose = async () => {
    if (!closeReason.trim()) return;
    if (await attempt(projectsApi.close(item.id, todayShanghai(), closeReason.trim()))) {
      setClosing(false);
      reload();
    }
  };

  return (
    <div data-testid="item-page">
      <Space style={{ marginBottom: 8 }} wrap>
        <Link to={`/programme?year=${data.programme.year}`}>← {data.programme.title}</Link>
      </Space>
      <Card
        title={
          <Space wrap>
            <span>
              {item.code}. {item.title}
            </span>
            <StatusTag status={item.status} />
            {item.closedOn && <Tag>{`${t('projects.closed')} ${item.closedOn}`}</Tag>}
          </Space>
        }
        extra={data.canManage && !item.closedOn && <Button onClick={() => setClosing(true)}>{t('projects.closeItem')}</Button>}
      >
        <ProgressBar item={item} />
        <Descriptions size="small" column={{ xs: 1, md: 2 }} style={{ marginTop: 8 }}>
          <Descriptions.Item label={t('projects.category')}>{item.category.name}</Descriptions.Item>
          <Descriptions.Item label={t('projects.owner')}>{item.ownerDepartment.name}</Descriptions.Item>
          <Descriptions.Item label={t('projects.period')}>{`${item.plannedStart} ~ ${item.plannedEnd}`}</Descriptions.Item>
          <Descriptions.Item label={t('projects.expected')}>{`${item.expected.toFixed(1)}%`}</Descriptions.Item>
          <Descriptions.Item label={t('projects.rule')}>{t(`projects.ruleNames.${item.progressRule}`)}</Descriptions.Item>
          <Descriptions.Item label={t('projects.budget')}>{item.budgetFen ? t('projects.budgetWan', { value: wan(item.budgetFen) }) : '—'}</Descriptions.Item>
          <Descriptions.Item label={t('projects.areas')}>{item.areas.map((a) => a.name).join('、') || '—'}</Descriptions.Item>
          <Descriptions.Item label={t('projects.coUnits')}>{item.coUnits.join('、') || '—'}</Descriptions.Item>
          {item.stage && <Descriptions.Item label={t('projects.stage')}>{t(`projects.stages.${item.stage}`)}</Descriptions.Item>}
          <Descriptions.Item label={t('projects.status')}>
            <Typography.Text type="secondary">{item.statusReason}</Typography.Text>
          </Descriptions.Item>
        </Descriptions>
        {item.description && <Typography.Paragraph>{item.description}</Typography.Paragraph>}
        {item.targets.length > 0 && (
          <>
            <Typography.Title level={5}>{t('projects.targets')}</Typography.Title>
            {item.targets.map((tg) => (
              <TargetLine key={tg.id} t={tg} />
            ))}
          </>
        )}
        {item.children.length > 0 && (
          <Table
            size="small"
            rowKey="id"
            pagination={false}
            dataSource={item.children}
            columns={[
              { title: t('projects.code'), render: (_, c) => <Link to={`/programme/items/${c.id}`}>{c.code}</Link> },
              { title: t('projects.title'), dataIndex: 'title' },
              { title: t('projects.progress'), render: (_, c) => <ProgressBar item={c} size="small" /> },
              { title: t('projects.status'), render: (_, c) => <StatusTag status={c.status} /> },
            ]}
          />
        )}
        {item.milestones.length > 0 && (
          <>
            <Typography.Title level={5}>{t('projects.milestones')}</Typography.Title>
            <Timeline
              items={item.milestones.map((m) => ({
                color: m.achievedOn ? 'green' : m.overdueDays ? 'red' : 'gray',
                children: `${m.title} · ${m.plannedOn}${m.achievedOn ? ` ✓ ${m.achievedOn}` : m.overdueDays ? ` · ${t('projects.overdueDays', { days: m.overdueDays })}` : ''}`,
              }))}
            />
          </>
        )}
      </Card>

      {data.canReport && (
        <Card title={corrects ? `${t('projects.corrects')} ${corrects.asOf}` : t('projects.reportProgress')} style={{ marginTop: 12 }} data-testid="report-form">
          <Form form={form} layout="vertical" onFinish={(v) => void submit(v)} initialValues={{ asOf: dayjs(todayShanghai()), stage: null }}>
            <Form.Item name="asOf" label={t('projects.reportAsOf')} rules={[{ required: true }]}>
              <DatePicker />
            </Form.Item>
            {item.targets.map((tg) => (
              <Form.Item key={tg.id} name={['values', tg.id]} label={`${tg.metric}（${tg.unit}）· ${t('projects.currentValue')}`}>
                <InputNumber style={{ width: 200 }} data-testid={`value-${tg.metric}`} />
              </Form.Item>
            ))}
            {item.progressRule === 'stage' && (
              <Form.Item name="stage" label={t('projects.stage')}>
                <Select allowClear style={{ width: 200 }} options={STAGES.map((s) => ({ value: s, label: t(`projects.stages.${s}`) }))} />
              </Form.Item>
            )}
            {item.milestones.filter((m) => !m.achievedOn).map((m) => (
              <Form.Item key={m.id} name={['achieved', m.id]} label={`${t('projects.milestones')}：${m.title} · ${t('projects.achievedOn')}`}>
                <DatePicker />
              </Form.Item>
            ))}
            <Form.Item name="narrative" label={t('projects.narrative')} rules={[{ required: true, whitespace: true }]}>
              <Input.TextArea rows={3} maxLength={5000} data-testid="report-narrative" />
            </Form.Item>
            <Form.Item label={t('projects.evidence')}>
              <Upload multiple accept="image/jpeg,image/png,image/webp,application/pdf" fileList={files} beforeUpload={() => false} onChange={({ fileList }) => setFiles(fileList)} listType="picture">
                <Button>+</Button>
              </Upload>
            </Form.Item>
            <Space>
              <Button type="primary" htmlType="submit" loading={busy} data-testid="report-submit">
                {t('projects.submit')}
              </Button>
              {corrects && <Button onClick={() => setCorrects(null)}>{t('common.cancel')}</Button>}
            </Space>
          </Form>
        </Card>
      )}

      <Card title={t('projects.reports')} style={{ marginTop: 12 }}>
        {data.reports.length === 0 && <Typography.Text type="secondary">{t('projects.noReports')}</Typography.Text>}
        <Timeline
          items={data.reports.map((r) => ({
            color: r.returned ? 'red' : 'blue',
            children: (
              <div data-testid="report-entry">
                <b>{r.asOf}</b> {r.returned && <Tag color="red">{t('projects.returned')}：{r.returned.reason}</Tag>} {r.narrative}
                <div className="ms-proj__meta">
                  {r.values.map((v) => {
                    const tg = item.targets.find((x) => x.id === v.targetId);
                    return tg ? `${tg.metric} ${v.value}${tg.unit}` : '';
                  }).join('；')}
                  {r.stage ? ` ${t(`projects.stages.${r.stage}`)}` : ''} · {r.reporter.name ?? r.reporter.role} · {formatDateTime(r.createdAt, lang)}
                </div>
                {r.files.length > 0 && (
                  <div className="ms-proj__photos">
                    {r.files.map((f) =>
                      f.mimeType.startsWith('image/') ? (
                        <a key={f.id} href={`/api/v1/projects/files/${f.id}`} target="_blank" rel="noreferrer">
                          <img src={`/api/v1/projects/files/${f.id}`} alt={f.fileName} />
                        </a>
                      ) : (
                        <a key={f.id} href={`/api/v1/projects/files/${f.id}`} target="_blank" rel="noreferrer">
                          {f.fileName}
                        </a>
                      ),
                    )}
                  </div>
                )}
                <Space size="small">
                  {data.canManage && !r.returned && (
                    <Button size="small" danger onClick={() => setReturning(r)}>
                      {t('projects.returnReport')}
                    </Button>
                  )}
                  {data.canReport && r.returned && (
                    <Button size="small" onClick={() => setCorrects(r)}>
                      {t('projects.correct')}
                    </Button>
                  )}
                </Space>
              </div>
            ),
          }))}
        />
      </Card>

      <Card title={t('projects.history')} style={{ marginTop: 12 }} size="small">
        <Timeline
          items={data.history.map((h) => ({
            children: `${formatDateTime(h.at, lang)} · ${t(`projects.events.${h.kind as 'created'}`, { defaultValue: h.kind })} · ${h.actorName ?? h.actorRole ?? ''}`,
          }))}
        />
      </Card>

      <Modal open={returning !== null} title={t('projects.returnReport')} onOk={() => void doReturn()} onCancel={() => setReturning(null)}>
        <Input.TextArea rows={3} value={reason} onChange={(e) => setReason(e.target.value)} placeholder={t('projects.returnReason')} />
      </Modal>
      <Modal open={closing} title={t('projects.closeItem')} onOk={() => void doClose()} onCancel={() => setClosing(false)}>
        <Alert type="warning" message={`${t('projects.closeOn')} ${todayShanghai()}`} style={{ marginBottom: 8 }} />
        <Input.TextArea rows={3} value={closeReason} onChange={(e) => setCloseReason(e.target.value)} placeholder={t('projects.closeReason')} />
      </Modal>
    </div>
  );
}
