/**
 * The policy editor: a form for the civil-affairs officer (basic facts, the eligibility clause
 * tree, exclusions, tiers with fixed amounts or 补差) and, beside it, the same policy as JSON for
 * export and import. Both edit one object (policyDraft.ts), so they are always in sync. As it
 * changes, the server checks it (errors shown next to the clause they name) and counts who would
 * match today; saving creates a new version.
 */
import { Alert, Button, Col, DatePicker, Form, Input, InputNumber, Radio, Row, Space, Tabs, Tag, Typography, message } from 'antd';
import dayjs from 'dayjs';
import { useEffect, useMemo, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { api, attempt } from '../../api';
import { ClauseContext, ClauseNode } from './ClauseBuilder';
import { fenToYuan, getAt, isObj, placeErrors, setAt, yuanToFen, type Draft, type Json, type Obj, type RuleError } from './policyDraft';
import type { PolicyView } from './types';
import { today, useBi } from './util';

interface Preview {
  eligible: number;
  eligible_missing: number;
  stop: number;
}

const str = (v: Json | undefined) => (typeof v === 'string' ? v : '');
const asList = (v: Json | undefined): Json[] => (Array.isArray(v) ? v : []);

export function PolicyEditor({ initial, canEdit, benefits, onSaved }: { initial: Draft; canEdit: boolean; benefits: { value: string; label: string }[]; onSaved: (saved: PolicyView) => void }) {
  const { t } = useTranslation();
  const bi = useBi();
  const [draft, setDraft] = useState<Draft>(initial);
  const [jsonText, setJsonText] = useState(() => JSON.stringify(initial, null, 2));
  const [jsonError, setJsonError] = useState<string | null>(null);
  const [errors, setErrors] = useState<RuleError[] | null>(null);
  const [preview, setPreview] = useState<Preview | null>(null);
  const [saving, setSaving] = useState(false);

  // Checked and counted a moment after the last change.
  useEffect(() => {
    let live = true;
    const h = setTimeout(() => {
      void attempt(api.post<{ ok: boolean; errors: RuleError[] }>('/api/v1/benefits/policies/check', { policy: draft })).then((r) => {
        if (!live || !r) return;
        setErrors(r.value.errors);
        if (!r.value.ok || !canEdit) return setPreview(null);
        void attempt(api.post<Preview>('/api/v1/benefits/policies/preview', { policy: draft, date: today() })).then((p) => live && p && setPreview(p.value));
      });
    }, 400);
    return () => {
      live = false;
      clearTimeout(h);
    };
  }, [draft, canEdit]);

  const update = (path: (string | number)[], value: Json | undefined) => {
    const next = setAt(draft, path, value) as Draft;
    setDraft(next);
    setJsonText(JSON.stringify(next, null, 2));
    setJsonError(null);
  };
  const onJson = (text: string) => {
    setJsonText(text);
    try {
      const parsed = JSON.parse(text) as Json;
      if (!isObj(parsed)) throw new Error(t('benefits.form.jsonNotObject'));
      setDraft(parsed);
      setJsonError(null);
    } catch (e) {
      setJsonError((e as Error).message);
    }
  };
  const placed = useMemo(() => placeErrors(errors ?? [], draft), [errors, draft]);
  const env = useMemo(() => ({ errors: placed.at, benefits, readOnly: !canEdit }), [placed, benefits, canEdit]);
  /** Form.Item props for a field: its errors as help text. */
  const fieldErrors = (path: string) => {
    const list = placed.at.get(path);
    return list ? { validateStatus: 'error' as const, help: list.map((e) => bi(e)).join('；') } : {};
  };

  const save = async () => {
    setSaving(true);
    const r = await attempt(api.post<{ policy: PolicyView }>('/api/v1/benefits/policies', { policy: draft }));
    setSaving(false);
    if (r) {
      void message.success(t('benefits.form.savedVersion', { version: r.value.policy.version }));
      onSaved(r.value.policy);
    }
  };

  const tiers = asList(draft.tiers);
  const exclusions = asList(draft.exclusions);
  const kind = draft.kind === 'one_off' ? 'one_off' : 'monthly';
  const date = (path: 'effectiveFrom' | 'effectiveTo') => {
    const v = str(draft[path]);
    return v && dayjs(v, 'YYYY-MM-DD', true).isValid() ? dayjs(v) : null;
  };
  const ro = !canEdit;

  const basics = (
    <Row gutter={16}>
      <Col xs={24} md={8}>
        <Form.Item label={t('benefits.form.code')} {...fieldErrors('code')} extra={t('benefits.form.codeHint')}>
          <Input value={str(draft.code)} disabled={ro} onChange={(e) => update(['code'], e.target.value.trim())} data-testid="policy-code" />
        </Form.Item>
      </Col>
      <Col xs={24} md={8}>
        <Form.Item label={t('benefits.form.nameZh')} {...fieldErrors('name')}>
          <Input value={str(getAt(draft, ['name', 'zh']))} disabled={ro} onChange={(e) => update(['name', 'zh'], e.target.value)} data-testid="policy-name-zh" />
        </Form.Item>
      </Col>
      <Col xs={24} md={8}>
        <Form.Item label={t('benefits.form.nameEn')}>
          <Input value={str(getAt(draft, ['name', 'en']))} disabled={ro} onChange={(e) => update(['name', 'en'], e.target.value)} />
        </Form.Item>
      </Col>
      <Col xs={24} md={8}>
        <Form.Item label={t('benefits.kind')} {...fieldErrors('kind')}>
          <Radio.Group
            value={kind}
            disabled={ro}
            optionType="button"
            options={[{ value: 'monthly', label: t('benefits.kinds.monthly') }, { value: 'one_off', label: t('benefits.kinds.one_off') }]}
            onChange={(e) => update(['kind'], e.target.value as string)}
          />
        </Form.Item>
      </Col>
      <Col xs={24} md={8}>
        <Form.Item label={t('benefits.form.benefitCode')} {...fieldErrors('benefitCode')} extra={t('benefits.form.benefitCodeHint')}>
          <Input value={str(draft.benefitCode)} placeholder={str(draft.code)} disabled={ro} onChange={(e) => update(['benefitCode'], e.target.value.trim() || undefined)} />
        </Form.Item>
      </Col>
      <Col xs={12} md={4}>
        <Form.Item label={t('benefits.form.effectiveFrom')} {...fieldErrors('effectiveFrom')}>
          <DatePicker style={{ width: '100%' }} value={date('effectiveFrom')} disabled={ro} onChange={(d) => update(['effectiveFrom'], d ? d.format('YYYY-MM-DD') : undefined)} />
        </Form.Item>
      </Col>
      <Col xs={12} md={4}>
        <Form.Item label={t('benefits.form.effectiveTo')} {...fieldErrors('effectiveTo')} extra={t('benefits.form.effectiveToHint')}>
          <DatePicker style={{ width: '100%' }} value={date('effectiveTo')} disabled={ro} placeholder={t('benefits.form.open')} onChange={(d) => update(['effectiveTo'], d ? d.format('YYYY-MM-DD') : null)} />
        </Form.Item>
      </Col>
      <Col span={24}>
        <Form.Item label={t('benefits.form.legalBasis')} {...fieldErrors('legalBasis')}>
          <Input.TextArea autoSize={{ minRows: 2, maxRows: 5 }} value={str(draft.legalBasis)} disabled={ro} onChange={(e) => update(['legalBasis'], e.target.value)} />
        </Form.Item>
      </Col>
      {kind === 'one_off' || isObj(draft.inKind) ? (
        <>
          <Col xs={24} md={12}>
            <Form.Item label={t('benefits.form.inKindZh')} {...fieldErrors('inKind')}>
              <Input value={str(getAt(draft, ['inKind', 'zh']))} disabled={ro} allowClear onChange={(e) => update(['inKind'], inKindWith(draft.inKind, 'zh', e.target.value))} />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item label={t('benefits.form.inKindEn')}>
              <Input value={str(getAt(draft, ['inKind', 'en']))} disabled={ro} allowClear onChange={(e) => update(['inKind'], inKindWith(draft.inKind, 'en', e.target.value))} />
            </Form.Item>
          </Col>
        </>
      ) : null}
    </Row>
  );

  const eligibility = (
    <Section title={t('benefits.form.eligibility')} hint={t('benefits.form.eligibilityHint')}>
      {draft.eligibility === undefined ? (
        <Button type="dashed" disabled={ro} onClick={() => update(['eligibility'], { all: [] })}>
          + {t('benefits.rule.addClause')}
        </Button>
      ) : (
        <ClauseNode value={draft.eligibility} path="eligibility" onChange={(v) => update(['eligibility'], v)} />
      )}
    </Section>
  );

  const exclusionList = (
    <Section title={t('benefits.form.exclusions')} hint={t('benefits.form.exclusionsHint')} errors={placed.at.get('exclusions')}>
      {exclusions.map((x, i) => (
        <ClauseNode key={i} value={x} path={`exclusions[${i}]`} onChange={(v) => update(['exclusions', i], v)} onRemove={() => update(['exclusions'], exclusions.filter((_, j) => j !== i))} />
      ))}
      {ro ? null : (
        <Button size="small" type="dashed" onClick={() => update(['exclusions'], [...exclusions, { status: 'tekun' }])} data-testid="exclusion-add">
          + {t('benefits.form.addExclusion')}
        </Button>
      )}
    </Section>
  );

  const moveTier = (i: number, d: -1 | 1) => {
    const next = [...tiers];
    [next[i], next[i + d]] = [next[i + d]!, next[i]!];
    update(['tiers'], next);
  };
  const addTier = () => {
    const n = tiers.length + 1;
    const tier: Obj = { code: `tier${n}`, name: { zh: `第${n}档`, en: `tier ${n}` }, when: { fact: 'age', op: '>=', value: 70 }, monthlyFen: 10000 };
    update([], { ...draft, tiers: [...tiers, tier], monthlyFen: null });
  };
  const amounts = (
    <Section title={t('benefits.form.amounts')} errors={placed.at.get('tiers')}>
      {tiers.length === 0 ? (
        <Form.Item label={kind === 'monthly' ? t('benefits.form.monthlyAmount') : t('benefits.form.monthlyAmountOptional')} {...fieldErrors('monthlyFen')}>
          <InputNumber style={{ width: 180 }} min={0} precision={2} disabled={ro} value={fenToYuan(draft.monthlyFen)} suffix={t('benefits.form.yuanPerMonth')} onChange={(v) => update(['monthlyFen'], yuanToFen(v))} data-testid="policy-monthly" />
        </Form.Item>
      ) : (
        <>
          <Alert type="info" showIcon className="ms-policy-form__note" message={t('benefits.form.tiersFirstMatch')} />
          {placed.at.get('monthlyFen') ? <Alert type="error" message={placed.at.get('monthlyFen')!.map((e) => bi(e)).join('；')} /> : null}
        </>
      )}
      {tiers.map((tier, i) => (
        <TierCard
          key={i}
          index={i}
          count={tiers.length}
          tier={isObj(tier) ? tier : {}}
          readOnly={ro}
          fieldErrors={fieldErrors}
          onChange={(v) => update(['tiers', i], v)}
          onMove={(d) => moveTier(i, d)}
          onRemove={() => update(['tiers'], tiers.filter((_, j) => j !== i))}
        />
      ))}
      {ro ? null : (
        <Button size="small" type="dashed" onClick={addTier} data-testid="tier-add">
          + {t('benefits.form.addTier')}
        </Button>
      )}
    </Section>
  );

  const status: ReactNode = jsonError ? (
    <Alert type="error" message={t('benefits.form.jsonError', { error: jsonError })} data-testid="policy-errors" />
  ) : errors === null ? (
    <Typography.Text type="secondary">{t('benefits.form.checking')}</Typography.Text>
  ) : errors.length > 0 ? (
    <Alert
      type="error"
      data-testid="policy-errors"
      message={t('benefits.form.errorCount', { n: errors.length })}
      description={placed.elsewhere.length > 0 ? placed.elsewhere.map((e) => `${e.path}：${bi(e)}`).join('\n') : t('benefits.form.errorsInline')}
      className="ms-pre"
    />
  ) : (
    <Alert type="success" data-testid="policy-preview" message={preview ? t('benefits.previewCount', { n: preview.eligible, missing: preview.eligible_missing, stop: preview.stop }) : t('benefits.valid')} />
  );

  return (
    <ClauseContext.Provider value={env}>
      <div className="ms-policy-editor" data-testid="policy-form-editor">
        <Tabs
          size="small"
          items={[
            {
              key: 'form',
              label: t('benefits.form.tabForm'),
              children: (
                <Form layout="vertical" className="ms-policy-form" component="div">
                  {jsonError ? <Alert type="warning" showIcon message={t('benefits.form.formStale')} style={{ marginBottom: 12 }} /> : null}
                  {basics}
                  {eligibility}
                  {exclusionList}
                  {amounts}
                </Form>
              ),
            },
            {
              key: 'json',
              label: 'JSON',
              children: (
                <div>
                  <Typography.Paragraph type="secondary">{t('benefits.form.jsonHint')}</Typography.Paragraph>
                  <Input.TextArea rows={24} value={jsonText} onChange={(e) => onJson(e.target.value)} className="ms-mono" data-testid="policy-editor" readOnly={ro} />
                  <Button size="small" style={{ marginTop: 8 }} onClick={() => void navigator.clipboard?.writeText(jsonText).then(() => message.success(t('benefits.form.copied')))}>
                    {t('benefits.form.copy')}
                  </Button>
                </div>
              ),
            },
          ]}
        />
        <div className="ms-policy-editor__bar">
          <div style={{ flex: 1 }}>{status}</div>
          {canEdit ? (
            <Button type="primary" loading={saving} disabled={!!jsonError || errors === null || errors.length > 0} onClick={() => void save()} data-testid="policy-save">
              {t('benefits.saveVersion')}
            </Button>
          ) : null}
        </div>
      </div>
    </ClauseContext.Provider>
  );
}

function inKindWith(current: Json | undefined, side: 'zh' | 'en', text: string): Json {
  const next = { zh: str(getAt(current, ['zh'])), en: str(getAt(current, ['en'])), [side]: text };
  return next.zh || next.en ? next : null;
}

function Section({ title, hint, errors, children }: { title: string; hint?: string; errors?: RuleError[] | undefined; children: ReactNode }) {
  const bi = useBi();
  return (
    <section className="ms-policy-form__section">
      <Typography.Title level={5} style={{ marginBottom: 4 }}>
        {title}
      </Typography.Title>
      {hint ? <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>{hint}</Typography.Paragraph> : null}
      {errors?.length ? <Alert type="error" message={errors.map((e) => bi(e)).join('；')} style={{ marginBottom: 8 }} /> : null}
      <Space direction="vertical" style={{ width: '100%' }} size={8}>
        {children}
      </Space>
    </section>
  );
}

interface TierProps {
  index: number;
  count: number;
  tier: Obj;
  readOnly: boolean;
  fieldErrors: (path: string) => object;
  onChange: (v: Obj) => void;
  onMove: (d: -1 | 1) => void;
  onRemove: () => void;
}

/** One tier: its code and name, its condition, and a fixed monthly amount or a 补差 top-up. */
function TierCard({ index: i, count, tier, readOnly, fieldErrors, onChange, onMove, onRemove }: TierProps) {
  const { t } = useTranslation();
  const bi = useBi();
  const p = `tiers[${i}]`;
  const topUp = isObj(tier.topUp) ? tier.topUp : null;
  const set = (patch: Record<string, Json | undefined>) => {
    const next = { ...tier, ...patch };
    if (next.topUp === undefined) delete next.topUp;
    onChange(next as Obj);
  };
  return (
    <div className="ms-tier" data-testid={`tier-${i}`}>
      <div className="ms-tier__head">
        <Tag color="blue">{t('benefits.form.tierN', { n: i + 1 })}</Tag>
        <Typography.Text strong>{bi({ zh: str(getAt(tier, ['name', 'zh'])), en: str(getAt(tier, ['name', 'en'])) }) || str(tier.code)}</Typography.Text>
        <span style={{ flex: 1 }} />
        {readOnly ? null : (
          <Space size={0}>
            <Button size="small" type="text" disabled={i === 0} onClick={() => onMove(-1)} aria-label={t('benefits.form.moveUp')}>↑</Button>
            <Button size="small" type="text" disabled={i === count - 1} onClick={() => onMove(1)} aria-label={t('benefits.form.moveDown')}>↓</Button>
            <Button size="small" type="text" danger onClick={onRemove} aria-label={t('benefits.rule.remove')}>✕</Button>
          </Space>
        )}
      </div>
      <Row gutter={12}>
        <Col xs={24} md={6}>
          <Form.Item label={t('benefits.form.tierCode')} {...fieldErrors(`${p}.code`)}>
            <Input size="small" value={str(tier.code)} disabled={readOnly} onChange={(e) => set({ code: e.target.value.trim() })} />
          </Form.Item>
        </Col>
        <Col xs={24} md={9}>
          <Form.Item label={t('benefits.form.nameZh')} {...fieldErrors(`${p}.name`)}>
            <Input size="small" value={str(getAt(tier, ['name', 'zh']))} disabled={readOnly} onChange={(e) => set({ name: { en: str(getAt(tier, ['name', 'en'])), zh: e.target.value } })} />
          </Form.Item>
        </Col>
        <Col xs={24} md={9}>
          <Form.Item label={t('benefits.form.nameEn')}>
            <Input size="small" value={str(getAt(tier, ['name', 'en']))} disabled={readOnly} onChange={(e) => set({ name: { zh: str(getAt(tier, ['name', 'zh'])), en: e.target.value } })} />
          </Form.Item>
        </Col>
      </Row>
      <div className="ms-tier__when">
        <Typography.Text type="secondary">{t('benefits.form.tierWhen')}</Typography.Text>
        <ClauseNode value={tier.when} path={`${p}.when`} onChange={(v) => set({ when: v ?? null })} />
      </div>
      <Space wrap align="start" className="ms-tier__amount">
        <Radio.Group
          size="small"
          optionType="button"
          disabled={readOnly}
          value={topUp ? 'topUp' : 'fixed'}
          options={[{ value: 'fixed', label: t('benefits.form.fixed') }, { value: 'topUp', label: t('benefits.form.topUp') }]}
          onChange={(e) => set(e.target.value === 'topUp' ? { monthlyFen: null, topUp: { toFen: 105000, minFen: 0 } } : { monthlyFen: 10000, topUp: undefined })}
        />
        {topUp ? (
          <>
            <Form.Item label={t('benefits.form.topUpTo')} {...fieldErrors(`${p}.topUp`)} layout="horizontal">
              <InputNumber size="small" style={{ width: 150 }} min={0} precision={2} disabled={readOnly} value={fenToYuan(topUp.toFen)} suffix={t('benefits.form.yuanPerMonth')} onChange={(v) => set({ topUp: { ...topUp, toFen: yuanToFen(v) } })} data-testid={`tier-topup-${i}`} />
            </Form.Item>
            <Form.Item label={t('benefits.form.topUpMin')} layout="horizontal">
              <InputNumber size="small" style={{ width: 150 }} min={0} precision={2} disabled={readOnly} value={fenToYuan(topUp.minFen ?? 0)} suffix={t('benefits.form.yuanPerMonth')} onChange={(v) => set({ topUp: { ...topUp, minFen: yuanToFen(v) ?? 0 } })} />
            </Form.Item>
            <Typography.Text type="secondary" className="ms-tier__formula">{t('benefits.form.topUpFormula')}</Typography.Text>
          </>
        ) : (
          <Form.Item label={t('benefits.form.monthlyAmount')} {...fieldErrors(`${p}.monthlyFen`)} layout="horizontal">
            <InputNumber size="small" style={{ width: 150 }} min={0} precision={2} disabled={readOnly} value={fenToYuan(tier.monthlyFen)} suffix={t('benefits.form.yuanPerMonth')} onChange={(v) => set({ monthlyFen: yuanToFen(v) })} data-testid={`tier-amount-${i}`} />
          </Form.Item>
        )}
      </Space>
    </div>
  );
}
