import { Alert, Button, Card, Checkbox, DatePicker, Form, Progress, Space, Statistic, Table, Tag, Upload } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, attempt } from '../../api';
import type { ImportReport } from './types';

function toBase64(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ''));
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(file);
  });
}

/** 导入: CSV/Excel upload with dry run / strict, and the per-row report. */
export default function ImportPage() {
  const { t, i18n } = useTranslation();
  const tk = (key: string, fallback?: string) => t(key as 'residents.title', fallback ?? key);
  const [file, setFile] = useState<File>();
  const [busy, setBusy] = useState(false);
  const [report, setReport] = useState<ImportReport>();
  const en = i18n.language.startsWith('en');
  const submit = async (v: { effectiveOn?: Dayjs; dryRun?: boolean; strict?: boolean }) => {
    if (!file) return;
    setBusy(true);
    setReport(undefined);
    const contentBase64 = await toBase64(file);
    const r = await attempt(
      api.post<ImportReport>('/api/v1/residents/imports', {
        fileName: file.name,
        contentBase64,
        dryRun: !!v.dryRun,
        strict: !!v.strict,
        ...(v.effectiveOn ? { effectiveOn: v.effectiveOn.format('YYYY-MM-DD') } : {}),
      }),
    );
    setBusy(false);
    if (r) setReport(r.value);
  };
  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      <Card title={t('residents.import.title')}>
        <Alert type="info" showIcon message={t('residents.import.rule')} style={{ marginBottom: 16 }} />
        <Form layout="inline" onFinish={submit}>
          <Form.Item>
            <Upload accept=".csv,.xlsx" maxCount={1} beforeUpload={(f) => { setFile(f); return false; }} onRemove={() => setFile(undefined)}>
              <Button data-testid="import-file">{t('residents.import.choose')}</Button>
            </Upload>
          </Form.Item>
          <Form.Item name="effectiveOn" label={t('residents.import.effectiveOn')}>
            <DatePicker />
          </Form.Item>
          <Form.Item name="dryRun" valuePropName="checked">
            <Checkbox>{t('residents.import.dryRun')}</Checkbox>
          </Form.Item>
          <Form.Item name="strict" valuePropName="checked">
            <Checkbox>{t('residents.import.strict')}</Checkbox>
          </Form.Item>
          <Button type="primary" htmlType="submit" disabled={!file} loading={busy} data-testid="import-submit">
            {t('residents.import.submit')}
          </Button>
        </Form>
        {busy ? <Progress percent={99} status="active" showInfo={false} style={{ marginTop: 16 }} /> : null}
      </Card>
      {report ? (
        <Card title={`${report.fileName} · ${report.applied ? t('residents.import.applied') : t('residents.import.notApplied')}`} data-testid="import-report">
          <Space size="large" wrap style={{ marginBottom: 16 }}>
            <Statistic title={t('residents.import.total')} value={report.total} />
            <Statistic title={t('residents.import.created')} value={report.created} />
            <Statistic title={t('residents.import.updated')} value={report.updated} />
            <Statistic title={t('residents.import.unchanged')} value={report.unchanged} />
            <Statistic title={t('residents.import.skipped')} value={report.skipped} valueStyle={report.skipped ? { color: '#cf1322' } : undefined} />
          </Space>
          <Table
            size="small"
            rowKey="line"
            dataSource={report.rows}
            pagination={{ pageSize: 50 }}
            columns={[
              { title: t('residents.import.line'), dataIndex: 'line', width: 70 },
              { title: t('residents.import.result'), render: (_, r) => <Tag color={r.status === 'skipped' ? 'red' : r.status === 'created' ? 'green' : 'blue'}>{tk(`residents.import.${r.status}`)}</Tag>, width: 100 },
              { title: t('residents.idNumber'), dataIndex: 'idNumber', width: 200 },
              { title: t('residents.import.reasons'), render: (_, r) => [...r.errors.map((e) => (en ? e.en : e.zh)), ...r.changes].join('；') },
            ]}
          />
        </Card>
      ) : null}
    </Space>
  );
}
