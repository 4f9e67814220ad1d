import { Alert, Button, Card, DatePicker, Select, Space, Switch, Table, Tag, Typography, Upload } from 'antd';
import dayjs from 'dayjs';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useSearchParams } from 'react-router-dom';
import { currentLanguage } from '../../i18n';
import { useFetch } from '../../shared/useFetch';
import { useAuth } from '../auth/AuthContext';
import { ProgressBar, StatusTag } from './ItemBits';
import { fileToBase64, projectsApi, type ImportProblem, todayShanghai, wan, type ProjectItem, type StaffProgramme } from './projectsApi';
import './projects.css';

/** The year's programme for staff: the tree with derived progress, what I report on, import and export. */
export default function ProgrammePage() {
  const { t } = useTranslation();
  const lang = currentLanguage();
  const { user } = useAuth();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const year = Number(params.get('year')) || Number(todayShanghai().slice(0, 4));
  const date = params.get('date') ?? undefined;
  const [mine, setMine] = useState(false);
  const { data, error, reload } = useFetch<StaffProgramme>(`/api/v1/projects/programmes/${year}${date ? `?date=${date}` : ''}`);
  const [problems, setProblems] = useState<ImportProblem[] | null>(null);
  const [importMsg, setImportMsg] = useState<string | null>(null);
  const manage = user?.permissions.includes('projects.manage') ?? false;

  const rows = useMemo(() => {
    if (!data) return [];
    const reportable = new Set(data.canReport);
    const keep = (i: ProjectItem): ProjectItem | null => {
      const kids = i.children.map(keep).filter((x): x is ProjectItem => x !== null);
      if (!mine || reportable.has(i.id) || kids.length) return { ...i, children: kids };
      return null;
    };
    return data.items.map(keep).filter((x): x is ProjectItem => x !== null);
  }, [data, mine]);

  const runImport = async (file: File, dryRun: boolean) => {
    setProblems(null);
    setImportMsg(null);
    const r = await projectsApi.importItems(year, await fileToBase64(file), dryRun);
    if (r.ok) {
      setImportMsg(dryRun ? t('projects.importChecked', { items: r.items }) : t('projects.importDone', { created: r.created, updated: r.updated }));
      if (!dryRun) reload();
    } else {
      setImportMsg(t('projects.importFailed'));
      setProblems(r.problems);
    }
  };
  const [dry, setDry] = useState(true);

  return (
    <div data-testid="programme-page">
      <Space wrap style={{ marginBottom: 12 }}>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {data?.programme.title ?? t('projects.nav')}
        </Typography.Title>
        <Select value={year} style={{ width: 96 }} options={[year - 1, year, year + 1].map((y) => ({ value: y, label: String(y) }))} onChange={(y) => setParams({ year: String(y) })} />
        <DatePicker
          value={date ? dayjs(date) : null}
          placeholder={t('projects.asOf')}
          onChange={(d) => setParams({ year: String(year), ...(d ? { date: d.format('YYYY-MM-DD') } : {}) })}
        />
        <Space>
          <Switch checked={mine} onChange={setMine} data-testid="mine-switch" /> {t('projects.canReport')}
        </Space>
        <Button href={`/api/v1/projects/programmes/${year}/items.xlsx`}>{t('projects.exportItems')}</Button>
        {manage && (
          <Space>
            <Upload accept=".xlsx" showUploadList={false} beforeUpload={(f) => (void runImport(f, dry), false)}>
              <Button>{t('projects.importItems')}</Button>
            </Upload>
            <Switch size="small" checked={dry} onChange={setDry} /> {t('projects.importDry')}
          </Space>
        )}
      </Space>
      {error && <Alert type="warning" showIcon message={error.message} />}
      {importMsg && (
        <Alert
          style={{ marginBottom: 12 }}
          type={problems ? 'error' : 'success'}
          showIcon
          closable
          onClose={() => setImportMsg(null)}
          message={importMsg}
          description={problems && (
            <ul style={{ margin: 0 }} data-testid="import-problems">
              {problems.map((p, k) => (
                <li key={k}>{`${p.sheet} ${p.row ? `#${p.row}` : ''} ${p.field}: ${lang === 'en' ? p.en : p.zh}`}</li>
              ))}
            </ul>
          )}
        />
      )}
      {data && (
        <Card size="small" style={{ marginBottom: 12 }}>
          <div className="ms-proj__headline" data-testid="programme-headline">
            {lang === 'en' ? data.headline.en : data.headline.zh}
          </div>
          <Typography.Text type="secondary">
            {t('projects.asOf')} {data.date} · {t('projects.overall')} {data.progress.toFixed(1)}%
          </Typography.Text>
          {data.programme.isDemo && <Tag color="orange" style={{ marginLeft: 8 }}>{t('projects.demoNote')}</Tag>}
        </Card>
      )}
      {!data && !error && <Card loading />}
      {/* Rendered once the tree is here: antd expands all rows only on the table's first render. */}
      {data && <Table<ProjectItem>
        key={`${data.programme.year}-${data.date}-${mine}`}
        size="small"
        rowKey="id"
        dataSource={rows}
        pagination={false}
        expandable={{ defaultExpandAllRows: true }}
        onRow={(r) => ({ onClick: () => navigate(`/programme/items/${r.id}${date ? `?date=${date}` : ''}`), style: { cursor: 'pointer' }, 'data-testid': `item-row-${r.code}` } as React.HTMLAttributes<HTMLElement>)}
        columns={[
          { title: t('projects.code'), dataIndex: 'code', width: 90 },
          {
            title: t('projects.title'),
            render: (_, r) => (
              <span>
                {r.title} {data?.canReport.includes(r.id) && <Tag color="blue">{t('projects.canReport')}</Tag>}
                {r.closedOn && <Tag>{t('projects.closed')}</Tag>}
              </span>
            ),
          },
          { title: t('projects.owner'), render: (_, r) => r.ownerDepartment.name, width: 170 },
          { title: t('projects.progress'), render: (_, r) => <ProgressBar item={r} size="small" />, width: 180 },
          { title: t('projects.status'), render: (_, r) => <StatusTag status={r.status} />, width: 100 },
          { title: t('projects.plannedEnd'), dataIndex: 'plannedEnd', width: 110 },
          { title: t('projects.lastReport'), render: (_, r) => r.lastReportOn ?? '—', width: 110 },
          { title: t('projects.budget'), render: (_, r) => (r.budgetFen ? t('projects.budgetWan', { value: wan(r.budgetFen) }) : '—'), width: 120 },
        ]}
      />}
    </div>
  );
}
