/**
 * The clause tree of a policy (eligibility, an exclusion, a tier's condition) as a form: groups
 * (全部满足 / 任一满足 / 不满足) and leaf clauses from the rule language's vocabulary. A clause of a
 * shape the builder does not know is shown as a small JSON box and kept as it is.
 */
import { AutoComplete, Button, Checkbox, Input, InputNumber, Select, Space, Typography, type SelectProps } from 'antd';
import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { BOOL_FACTS, ENUM_FACTS, ENUM_VALUE_LABELS, NUM_FACTS, NUM_OPS, STATUS_LABELS, type EnumFact, type NumFact } from '../../../../src/domain/benefits/core/rules';
import { changeKind, clauseKind, fenToYuan, isObj, yuanToFen, type ClauseKind, type Json, type Obj, type RuleError } from './policyDraft';
import { useBi } from './util';

export interface ClauseEnv {
  /** Validation errors by the path of the clause that shows them. */
  errors: Map<string, RuleError[]>;
  /** Benefit codes known from the policies, for receiving / since. */
  benefits: { value: string; label: string }[];
  readOnly: boolean;
}
export const ClauseContext = createContext<ClauseEnv>({ errors: new Map(), benefits: [], readOnly: false });

const OP_SIGN: Record<string, string> = { '=': '=', '!=': '≠', '<': '<', '<=': '≤', '>': '>', '>=': '≥' };
const NUM_OP_OPTIONS = NUM_OPS.map((op) => ({ value: op, label: OP_SIGN[op] }));

/** The subject of a clause as one select value: `fact:age`, or the clause kind. */
function subjectOf(c: Json | undefined, kind: ClauseKind): string {
  return kind === 'num' || kind === 'enum' || kind === 'bool' ? `fact:${String((c as Obj).fact)}` : kind;
}

function withSubject(c: Json | undefined, subject: string): Obj {
  const label: Obj = isObj(c) && c.label !== undefined ? { label: c.label } : {};
  if (!subject.startsWith('fact:')) return changeKind(c, subject as Exclude<ClauseKind, 'raw'>);
  const fact = subject.slice(5);
  if (fact in NUM_FACTS) {
    const meta = NUM_FACTS[fact as NumFact];
    const keep = clauseKind(c) === 'num' ? (c as Obj).op! : '>=';
    return { fact, op: keep, value: fact === 'age' ? 70 : meta.money ? 100000 : meta.min, ...label };
  }
  if (fact in ENUM_FACTS) return { fact, op: 'in', value: [ENUM_FACTS[fact as EnumFact].values[0]], ...label };
  return { fact, op: '=', value: true, ...label };
}

function useSubjectOptions(member: boolean) {
  const { t } = useTranslation();
  const bi = useBi();
  const facts = [
    ...Object.entries(NUM_FACTS).map(([k, m]) => ({ value: `fact:${k}`, label: bi(m) })),
    ...Object.entries(ENUM_FACTS).map(([k, m]) => ({ value: `fact:${k}`, label: bi(m) })),
    ...Object.entries(BOOL_FACTS).map(([k, m]) => ({ value: `fact:${k}`, label: bi(m) })),
  ];
  const others = (['status', 'receiving', 'since', 'householdCount', 'spouse'] as const)
    .filter((k) => !member || (k !== 'householdCount' && k !== 'spouse'))
    .map((k) => ({ value: k, label: t(`benefits.rule.kinds.${k}`) }));
  const groups = (['all', 'any', 'not'] as const).map((k) => ({ value: k, label: t(`benefits.rule.kinds.${k}`) }));
  return [
    { label: t('benefits.rule.facts'), options: facts },
    { label: t('benefits.rule.records'), options: others },
    { label: t('benefits.rule.groups'), options: groups },
  ];
}

/** The errors a clause shows under itself, with the field they name. */
function Errors({ path }: { path: string }) {
  const bi = useBi();
  const list = useContext(ClauseContext).errors.get(path) ?? [];
  if (list.length === 0) return null;
  return (
    <div className="ms-clause__errors" data-testid={`clause-errors-${path}`}>
      {list.map((e) => (
        <div key={e.path + e.en}>
          {e.path !== path ? <code>{e.path.slice(path.length).replace(/^\./, '')}</code> : null} {bi(e)}
        </div>
      ))}
    </div>
  );
}

function RawClause({ value, onChange, path }: { value: Json | undefined; onChange: (v: Json) => void; path: string }) {
  const { t } = useTranslation();
  const { readOnly } = useContext(ClauseContext);
  const [text, setText] = useState(() => JSON.stringify(value ?? null));
  const [bad, setBad] = useState(false);
  // A change from outside (the JSON tab, an undo) replaces the text; the user's own typing does not.
  useEffect(() => {
    setText((prev) => {
      try {
        if (JSON.stringify(JSON.parse(prev)) === JSON.stringify(value ?? null)) return prev;
      } catch {
        /* the text is mid-edit and not JSON: the outside value wins */
      }
      return JSON.stringify(value ?? null);
    });
  }, [value]);
  return (
    <div style={{ flex: 1, minWidth: 260 }}>
      <Typography.Text type="secondary" className="ms-clause__hint">{t('benefits.rule.rawHint')}</Typography.Text>
      <Input.TextArea
        className="ms-mono"
        autoSize={{ minRows: 1, maxRows: 6 }}
        value={text}
        disabled={readOnly}
        status={bad ? 'error' : undefined}
        data-testid={`clause-raw-${path}`}
        onChange={(e) => {
          setText(e.target.value);
          try {
            onChange(JSON.parse(e.target.value) as Json);
            setBad(false);
          } catch {
            setBad(true);
          }
        }}
      />
    </div>
  );
}

function BenefitCode({ value, onChange, path }: { value: Json | undefined; onChange: (v: string) => void; path: string }) {
  const { t } = useTranslation();
  const { benefits, readOnly } = useContext(ClauseContext);
  const known = benefits.find((b) => b.value === value);
  return (
    <>
      <AutoComplete
        style={{ width: 220 }}
        value={typeof value === 'string' ? value : ''}
        disabled={readOnly}
        placeholder={t('benefits.rule.benefitCode')}
        options={benefits.map((b) => ({ value: b.value, label: `${b.label} · ${b.value}` }))}
        filterOption={(input, o) => String(o?.label ?? '').toLowerCase().includes(input.toLowerCase())}
        onChange={(v: string) => onChange(v.trim())}
        data-testid={`clause-benefit-${path}`}
      />
      {known ? <Typography.Text type="secondary">{known.label}</Typography.Text> : null}
    </>
  );
}

function NumberValue({ fact, value, onChange, path }: { fact: NumFact | null; value: Json | undefined; onChange: (v: number | null) => void; path: string }) {
  const { readOnly } = useContext(ClauseContext);
  const bi = useBi();
  const { t } = useTranslation();
  const meta = fact ? NUM_FACTS[fact] : null;
  if (meta?.money) {
    return (
      <InputNumber style={{ width: 150 }} min={0} precision={2} disabled={readOnly} value={fenToYuan(value)} suffix={t('benefits.rule.yuan')} onChange={(v) => onChange(yuanToFen(v))} data-testid={`clause-value-${path}`} />
    );
  }
  const unit = meta?.unit ? bi(meta.unit) : '';
  return (
    <InputNumber
      style={{ width: unit ? 120 : 96 }}
      min={meta?.min ?? 0}
      max={meta?.max}
      precision={0}
      disabled={readOnly}
      value={typeof value === 'number' ? value : null}
      suffix={unit || undefined}
      onChange={(v) => onChange(v)}
      data-testid={`clause-value-${path}`}
    />
  );
}

interface NodeProps {
  value: Json | undefined;
  onChange: (v: Json | undefined) => void;
  path: string;
  /** inside householdCount / spouse, where those two cannot nest */
  member?: boolean;
  onRemove?: () => void;
}

/** One clause and, for groups, its members. */
export function ClauseNode({ value, onChange, path, member = false, onRemove }: NodeProps) {
  const { t } = useTranslation();
  const bi = useBi();
  const { errors, readOnly } = useContext(ClauseContext);
  const options = useSubjectOptions(member);
  const kind = clauseKind(value);
  const c = (isObj(value) ? value : {}) as Obj;
  const set = (patch: Obj) => onChange({ ...c, ...patch });
  const group = kind === 'all' || kind === 'any' || kind === 'not';
  const hasLabel = isObj(c.label);
  const subject = (
    <Select
      className="ms-clause__subject"
      popupMatchSelectWidth={false}
      disabled={readOnly}
      value={kind === 'raw' ? 'raw' : subjectOf(value, kind)}
      options={kind === 'raw' ? [{ value: 'raw', label: t('benefits.rule.kinds.raw'), disabled: true }, ...options] : options}
      onChange={(s: string) => onChange(withSubject(value, s))}
      data-testid={`clause-subject-${path}`}
    />
  );
  const tools = readOnly ? null : (
    <Space size={0} className="ms-clause__tools">
      <Button size="small" type="text" onClick={() => onChange(hasLabel ? Object.fromEntries(Object.entries(c).filter(([k]) => k !== 'label')) : { ...c, label: { zh: '', en: '' } })}>
        {hasLabel ? t('benefits.rule.removeLabel') : t('benefits.rule.addLabel')}
      </Button>
      {onRemove ? (
        <Button size="small" type="text" danger onClick={onRemove} aria-label={t('benefits.rule.remove')} data-testid={`clause-remove-${path}`}>
          ✕
        </Button>
      ) : null}
    </Space>
  );
  const labelRow = hasLabel ? (
    <Space.Compact className="ms-clause__label" block>
      <Input size="small" style={{ flex: 3 }} addonBefore={t('benefits.rule.label')} placeholder="中文" value={(c.label as Obj).zh as string} disabled={readOnly} onChange={(e) => set({ label: { ...(c.label as Obj), zh: e.target.value } })} />
      <Input size="small" style={{ flex: 2 }} placeholder="English" value={(c.label as Obj).en as string} disabled={readOnly} onChange={(e) => set({ label: { ...(c.label as Obj), en: e.target.value } })} />
    </Space.Compact>
  ) : null;
  const failing = (errors.get(path)?.length ?? 0) > 0;
  const box = `ms-clause ${group ? `ms-clause--group ms-clause--${kind}` : 'ms-clause--leaf'}${failing ? ' ms-clause--error' : ''}`;

  if (group) {
    const members: Json[] = kind === 'not' ? [c.not ?? null] : ((c[kind] as Json[] | undefined) ?? []);
    const setMember = (i: number, v: Json | undefined) => {
      if (kind === 'not') return set({ not: v ?? null });
      const next = [...members];
      if (v === undefined) next.splice(i, 1);
      else next[i] = v;
      set({ [kind]: next });
    };
    const add = (v: Obj) => set({ [kind]: [...members, v] });
    return (
      <div className={box} data-testid={`clause-${path}`}>
        <div className="ms-clause__row">
          {subject}
          <Typography.Text type="secondary">{t(`benefits.rule.groupHint.${kind}`)}</Typography.Text>
          <span style={{ flex: 1 }} />
          {tools}
        </div>
        {labelRow}
        <div className="ms-clause__members">
          {members.map((m, i) => (
            <ClauseNode
              key={i}
              value={m}
              member={member}
              path={kind === 'not' ? `${path}.not` : `${path}.${kind}[${i}]`}
              onChange={(v) => setMember(i, v)}
              {...(kind === 'not' ? {} : { onRemove: () => setMember(i, undefined) })}
            />
          ))}
          {kind !== 'not' && !readOnly ? (
            <Space size="small">
              <Button size="small" type="dashed" onClick={() => add({ fact: 'age', op: '>=', value: 70 })} data-testid={`clause-add-${path}`}>
                + {t('benefits.rule.addClause')}
              </Button>
              <Button size="small" type="dashed" onClick={() => add({ any: [{ fact: 'age', op: '>=', value: 70 }] })}>
                + {t('benefits.rule.addGroup')}
              </Button>
            </Space>
          ) : null}
        </div>
        <Errors path={path} />
      </div>
    );
  }

  let body: ReactNode = null;
  let inner: ReactNode = null;
  /** The inner condition of householdCount / spouse, on the members (where those two cannot nest). */
  const memberClause = (key: 'householdCount' | 'spouse', caption: string) => (
    <div className="ms-clause__members">
      <Typography.Text type="secondary">{caption}</Typography.Text>
      <ClauseNode value={c[key]} member path={`${path}.${key}`} onChange={(v) => set({ [key]: v ?? null })} />
    </div>
  );
  /** The select holding a clause's value (enum values, yes/no, a status). */
  const valueSelect = <V,>(props: SelectProps<V>) => <Select<V> popupMatchSelectWidth={false} disabled={readOnly} data-testid={`clause-value-${path}`} {...props} />;
  const opSelect = (op: Json | undefined) => (
    <Select className="ms-clause__op" disabled={readOnly} value={op as string} options={NUM_OP_OPTIONS} onChange={(v: string) => set({ op: v })} data-testid={`clause-op-${path}`} />
  );
  switch (kind) {
    case 'num':
      body = (
        <>
          {opSelect(c.op)}
          <NumberValue fact={c.fact as NumFact} value={c.value} onChange={(v) => set({ value: v })} path={path} />
        </>
      );
      break;
    case 'enum': {
      const meta = ENUM_FACTS[c.fact as EnumFact];
      body = (
        <>
          <Select className="ms-clause__op" disabled={readOnly} value={c.op as string} options={[{ value: 'in', label: t('benefits.rule.in') }, { value: 'notIn', label: t('benefits.rule.notIn') }]} onChange={(v: string) => set({ op: v })} />
          {valueSelect({
            mode: 'multiple',
            style: { minWidth: 200 },
            value: c.value as string[],
            options: meta.values.map((v) => ({ value: v, label: ENUM_VALUE_LABELS[v] ? bi(ENUM_VALUE_LABELS[v]) : v })),
            onChange: (v: string[]) => set({ value: v }),
          })}
        </>
      );
      break;
    }
    case 'bool':
      body = valueSelect({
        style: { width: 96 },
        value: c.value === true ? 'yes' : c.value === false ? 'no' : undefined,
        options: [{ value: 'yes', label: t('benefits.rule.yes') }, { value: 'no', label: t('benefits.rule.no') }],
        onChange: (v: string) => set({ op: '=', value: v === 'yes' }),
      });
      break;
    case 'status':
      body = valueSelect({
        style: { minWidth: 200 },
        value: c.status as string,
        options: Object.entries(STATUS_LABELS).map(([k, l]) => ({ value: k, label: bi(l) })),
        onChange: (v: string) => set({ status: v }),
      });
      break;
    case 'receiving':
      body = <BenefitCode value={c.receiving} onChange={(v) => set({ receiving: v })} path={path} />;
      break;
    case 'since':
      body = (
        <>
          <BenefitCode value={c.since} onChange={(v) => set({ since: v })} path={path} />
          {opSelect(c.op)}
          <InputNumber style={{ width: 80 }} min={0} precision={0} disabled={readOnly} value={typeof c.value === 'number' ? c.value : null} onChange={(v) => set({ value: v })} data-testid={`clause-value-${path}`} />
          <Select style={{ width: 72 }} disabled={readOnly} value={c.unit as string} options={[{ value: 'months', label: t('benefits.rule.months') }, { value: 'days', label: t('benefits.rule.days') }]} onChange={(v: string) => set({ unit: v })} />
          <Checkbox checked={c.never === true} disabled={readOnly} onChange={(e) => set({ never: e.target.checked })}>
            {t('benefits.rule.never')}
          </Checkbox>
        </>
      );
      break;
    case 'householdCount':
      body = (
        <>
          {opSelect(c.op)}
          <InputNumber style={{ width: 100 }} min={0} max={100} precision={0} disabled={readOnly} value={typeof c.value === 'number' ? c.value : null} suffix={t('benefits.rule.persons')} onChange={(v) => set({ value: v })} data-testid={`clause-value-${path}`} />
        </>
      );
      inner = memberClause('householdCount', t('benefits.rule.membersWho'));
      break;
    case 'spouse':
      inner = memberClause('spouse', t('benefits.rule.spouseWho'));
      break;
    case 'raw':
      body = <RawClause value={value} onChange={onChange} path={path} />;
      break;
  }
  return (
    <div className={box} data-testid={`clause-${path}`}>
      <div className="ms-clause__row">
        {subject}
        {body}
        <span style={{ flex: 1 }} />
        {tools}
      </div>
      {labelRow}
      {inner}
      <Errors path={path} />
    </div>
  );
}
