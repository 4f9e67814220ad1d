import { Alert, Card, Collapse, Empty, Rate, Select, Spin, Tag, Timeline, Typography, message } from 'antd';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router-dom';
import { LanguageSwitch } from '../../shared/LanguageSwitch';
import { ApiError } from '../../api';
import { currentLanguage } from '../../i18n';
import { ProgressBar, StatusTag, TargetLine } from './ItemBits';
import { ProjectMap } from './ProjectMap';
import { STATUSES, STATUS_COLOR, publicProjectsApi, todayShanghai, wan, type ProjectItem, type PublicProgramme } from './projectsApi';
import '../resident/resident.css';
import './projects.css';

/** One random token per browser, kept in localStorage: one rating per item and device (ADR 0032). */
function deviceToken(): string {
  const key = 'minsheng.projects.device';
  let v = localStorage.getItem(key);
  if (!v || !/^[A-Za-z0-9_-]{16,128}$/.test(v)) {
    const bytes = crypto.getRandomValues(new Uint8Array(18));
    v = btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
    localStorage.setItem(key, v);
  }
  return v;
}

function ItemCard({ item, extras, onRated }: { item: ProjectItem; extras: PublicProgramme['extras']; onRated: () => void }) {
  const { t } = useTranslation();
  const lang = currentLanguage();
  const x = extras[item.id];
  const leaves = item.children.length ? item.children : [item];
  return (
    <Card className="ms-proj__card" data-testid="project-card" data-code={item.code}>
      <div className="ms-proj__title">
        <span>
          {item.code}. {item.title}
        </span>
        <StatusTag status={item.status} />
      </div>
      <div className="ms-proj__meta">
        {item.category.name} · {item.ownerDepartment.name}
      </div>
      <ProgressBar item={item} />
      <Collapse
        ghost
        size="small"
        items={leaves.map((leaf) => {
          const lx = extras[leaf.id];
          return {
            key: leaf.id,
            label: (
              <span data-testid="project-leaf" data-code={leaf.code}>
                {leaf !== item ? `${leaf.code} ${leaf.title} ` : `${t('projects.timeline')} `}
                <Tag color={STATUS_COLOR[leaf.status]}>{`${t(`projects.statuses.${leaf.status}`)} ${leaf.progress.toFixed(1)}%`}</Tag>
              </span>
            ),
            children: (
              <div>
                {leaf.targets.map((tg) => (
                  <TargetLine key={tg.id} t={tg} />
                ))}
                {leaf.stage && <div className="ms-proj__meta">{t('projects.stage')}：{t(`projects.stages.${leaf.stage}`)}</div>}
                <div className="ms-proj__meta">
                  {t('projects.period')}：{leaf.plannedStart} ~ {leaf.plannedEnd}
                  {leaf.areas.length ? ` · ${leaf.areas.map((a) => a.name).join('、')}` : ''}
                  {leaf.budgetFen ? ` · ${t('projects.budget')} ${t('projects.budgetWan', { value: wan(leaf.budgetFen) })}` : ''}
                </div>
                <Timeline
                  style={{ marginTop: 10 }}
                  items={[
                    ...leaf.milestones.map((m) => ({
                      color: m.achievedOn ? 'green' : m.overdueDays > 0 ? 'red' : 'gray',
                      children: `${m.title}：${lang === 'en' ? 'planned' : '计划'} ${m.plannedOn}${m.achievedOn ? ` ✓ ${m.achievedOn}` : m.overdueDays ? ` · ${t('projects.overdueDays', { days: m.overdueDays })}` : ''}`,
                    })),
                    ...(lx?.timeline ?? []).map((e) => ({
                      color: 'blue',
                      children: (
                        <div>
                          <b>{e.asOf}</b> {e.narrative}
                          {e.files.length > 0 && (
                            <div className="ms-proj__photos">
                              {e.files
                                .filter((f) => f.mimeType.startsWith('image/'))
                                .map((f) => (
                                  <a key={f.id} href={`/api/v1/public/projects/files/${f.id}`} target="_blank" rel="noreferrer">
                                    <img src={`/api/v1/public/projects/files/${f.id}`} alt={t('projects.photos')} loading="lazy" />
                                  </a>
                                ))}
                            </div>
                          )}
                        </div>
                      ),
                    })),
                  ]}
                />
                {leaf.status === 'completed' && <RateBox item={leaf} rating={lx?.rating ?? { count: 0, average: null }} onRated={onRated} />}
              </div>
            ),
          };
        })}
      />
      {x && item.children.length === 0 && x.timeline.length === 0 && <div className="ms-proj__meta">{t('projects.noReports')}</div>}
    </Card>
  );
}

function RateBox({ item, rating, onRated }: { item: ProjectItem; rating: { count: number; average: number | null }; onRated: () => void }) {
  const { t } = useTranslation();
  const [busy, setBusy] = useState(false);
  const rate = async (score: number) => {
    setBusy(true);
    try {
      const r = await publicProjectsApi.rate(item.id, score, deviceToken());
      void message.success(t('projects.rateThanks', { count: r.rating.count, average: r.rating.average }));
      onRated();
    } catch (e) {
      void message.warning(e instanceof ApiError ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div data-testid="project-rate">
      <Typography.Text type="secondary">{t('projects.rateHint')}</Typography.Text> <Rate disabled={busy} onChange={(v) => void rate(v)} />{' '}
      {rating.count > 0 && <Typography.Text type="secondary">{t('projects.rated', { count: rating.count, average: rating.average ?? 0 })}</Typography.Text>}
    </div>
  );
}

/** 民生实事 for residents: no login, a phone first. */
export default function PublicProjectsPage() {
  const { t } = useTranslation();
  const lang = currentLanguage();
  const [params, setParams] = useSearchParams();
  const thisYear = Number(todayShanghai().slice(0, 4));
  const year = Number(params.get('year')) || thisYear;
  const [data, setData] = useState<PublicProgramme | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [selected, setSelected] = useState<string | null>(null);

  const load = useCallback(() => {
    publicProjectsApi.programme(year).then(
      (p) => {
        setData(p);
        setError(null);
      },
      (e: unknown) => {
        setData(null);
        setError(e instanceof ApiError && e.status === 404 ? t('projects.noProgramme') : String(e instanceof Error ? e.message : e));
      },
    );
  }, [year, t]);
  useEffect(load, [load]);

  const shown = useMemo(() => (data && selected ? data.items.filter((i) => i.id === selected || i.children.some((c) => c.id === selected)) : data?.items ?? []), [data, selected]);
  return (
    <div className="ms-pub">
      <header className="ms-pub__header">
        <span className="ms-pub__brand">{t('projects.publicTitle', { year })}</span>
        <LanguageSwitch />
      </header>
      <main className="ms-pub__main" data-testid="public-projects">
        <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center', gap: 8 }}>
          <Typography.Paragraph className="ms-pub__intro" style={{ marginBottom: 0 }}>
            {t('projects.publicIntro')}
          </Typography.Paragraph>
          <Select
            size="small"
            value={year}
            style={{ width: 90 }}
            options={[thisYear - 1, thisYear, thisYear + 1].map((y) => ({ value: y, label: String(y) }))}
            onChange={(y) => setParams({ year: String(y) })}
          />
        </div>
        {error && <Alert type="info" showIcon message={error} style={{ marginTop: 12 }} />}
        {!data && !error && (
          <div className="ms-center">
            <Spin />
          </div>
        )}
        {data && (
          <>
            <Typography.Title level={4} style={{ marginBottom: 0 }}>
              {data.programme.title}
            </Typography.Title>
            {data.programme.isDemo && <Tag color="orange">{t('projects.demoNote')}</Tag>}
            <div className="ms-proj__headline" data-testid="projects-headline">
              {lang === 'en' ? data.headline.en : data.headline.zh}
            </div>
            <div className="ms-proj__meta">
              {t('projects.asOf')} {data.date} · {t('projects.overall')} {data.progress.toFixed(1)}%
            </div>
            <div className="ms-proj__tiles" style={{ marginTop: 8 }}>
              {STATUSES.map((s) => (
                <div key={s} className="ms-proj__tile" style={{ background: STATUS_COLOR[s] }} data-testid={`tile-${s}`}>
                  <b>{data.counts.byStatus[s]}</b>
                  <span>{t(`projects.statuses.${s}`)}</span>
                </div>
              ))}
            </div>
            <Typography.Title level={5}>{t('projects.byCategory')}</Typography.Title>
            <div className="ms-proj__cats">
              {data.categories.map((c) => (
                <div key={c.code} className="ms-proj__cat">
                  <span>{c.name}</span>
                  <ProgressBar item={{ progress: c.progress, status: c.byStatus.delayed > 0 ? 'at_risk' : 'on_track' }} size="small" />
                </div>
              ))}
            </div>
            <Typography.Title level={5}>{t('projects.map')}</Typography.Title>
            <ProjectMap outline={data.outline} items={data.items} selected={selected} onSelect={(id) => setSelected(selected === id ? null : id)} />
            <div className="ms-proj__meta" style={{ marginBottom: 12 }}>
              {t('projects.mapNote')}
            </div>
            <Typography.Title level={5}>{t('projects.items')}</Typography.Title>
            {shown.length === 0 ? <Empty /> : shown.map((i) => <ItemCard key={i.id} item={i} extras={data.extras} onRated={load} />)}
          </>
        )}
      </main>
      <footer className="ms-pub__footer">
        <Link to="/report">{t('resident.navReport')}</Link> · <Link to="/micro">{t('micro.listTitle')}</Link> · <Link to="/login">{t('resident.staffLogin')}</Link>
      </footer>
    </div>
  );
}
