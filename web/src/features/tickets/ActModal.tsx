import { Button, Form, Input, InputNumber, Modal, Radio, Select, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api';
import { TICKET_RATINGS, TICKET_RESOLUTIONS, type TicketAct, type TicketView } from '../../shared/types';
import { DispatchFields } from './DispatchFields';
import { MergeField } from './MergeField';
import { ReplyQualityCheck } from '../analysis/ReplyQualityCheck';
import { KnowledgeAnswerPicker } from '../analysis/KnowledgeAnswers';
import { postAct } from './ticketsApi';
import type { Units } from './useUnits';

type Values = Record<string, unknown>;

const text = (v: unknown) => (typeof v === 'string' ? v.trim() : '');
const optional = (v: unknown) => (text(v) ? text(v) : undefined);

/** The request body of each act from its form's values. */
function bodyOf(act: TicketAct, v: Values): object {
  switch (act) {
    case 'dispatch': {
      const category = Array.isArray(v.category) ? (v.category as string[]) : [];
      return {
        leadUnit: v.leadUnit,
        assistingUnits: Array.isArray(v.assistingUnits) ? v.assistingUnits : [],
        ...(category.length ? { categoryCode: category.at(-1) } : {}),
        ...(optional(v.note) ? { note: optional(v.note) } : {}),
      };
    }
    case 'answerDirectly':
      return { answer: text(v.answer), resolution: v.resolution };
    case 'accept':
      return {};
    case 'return':
    case 'reopen':
      return { reason: text(v.reason) };
    case 'requestExtension':
      return { reason: text(v.reason), workingDays: v.workingDays };
    case 'decideExtension':
      return { approved: v.approved === true, ...(optional(v.note) ? { note: optional(v.note) } : {}) };
    case 'reply':
      return { reply: text(v.reply), resolution: v.resolution };
    case 'followUp':
      return { rating: v.rating, ...(optional(v.note) ? { note: optional(v.note) } : {}) };
    case 'urge':
    case 'supervise':
      return { note: text(v.note) };
    case 'merge':
      return { into: v.into };
    case 'callUnits':
      return { units: v.units, note: text(v.note), reportWithinWorkingHours: v.reportWithinWorkingHours };
    case 'reportToCall':
      return { role: v.role };
  }
}

const INITIAL: Partial<Record<TicketAct, Values>> = {
  answerDirectly: { resolution: 'resolved' },
  requestExtension: { workingDays: 3 },
  decideExtension: { approved: true },
  callUnits: { reportWithinWorkingHours: 2 },
  reportToCall: { role: 'assisting' },
};

function Fields({ act, ticket, units, form }: { act: TicketAct; ticket: TicketView; units: Units; form: ReturnType<typeof Form.useForm<Values>>[0] }) {
  const { t } = useTranslation();
  const required = { required: true, message: t('common.required') };
  const requiredText = { ...required, whitespace: true };
  const area = (name: string, label: string, rules = [requiredText], max = 500) => (
    <Form.Item name={name} label={label} rules={rules}>
      <Input.TextArea rows={3} maxLength={max} showCount data-testid={`act-${name}`} />
    </Form.Item>
  );
  const resolution = (
    <Form.Item name="resolution" label={t('tickets.resolution')} rules={[required]}>
      <Select data-testid="act-resolution" options={TICKET_RESOLUTIONS.map((r) => ({ value: r, label: t(`tickets.resolutions.${r}`) }))} />
    </Form.Item>
  );
  switch (act) {
    case 'dispatch':
      return <DispatchFields ticketId={ticket.id} form={form} units={units} />;
    case 'answerDirectly':
      return (
        <>
          <KnowledgeAnswerPicker ticketId={ticket.id} form={form} field="answer" />
          {area('answer', t('tickets.act.answer'), [requiredText], 2000)}
          {resolution}
        </>
      );
    case 'accept':
      return <Typography.Paragraph>{t('tickets.act.confirmAccept')}</Typography.Paragraph>;
    case 'return':
    case 'reopen':
      return area('reason', t('tickets.act.reason'));
    case 'requestExtension':
      return (
        <>
          {area('reason', t('tickets.act.reason'))}
          <Form.Item name="workingDays" label={t('tickets.act.workingDays')} rules={[required]}>
            <InputNumber min={1} max={30} precision={0} data-testid="act-workingDays" />
          </Form.Item>
        </>
      );
    case 'decideExtension':
      return (
        <>
          <Form.Item name="approved" label={t('tickets.act.decision')} rules={[required]}>
            <Radio.Group
              data-testid="act-approved"
              options={[
                { value: true, label: t('tickets.act.approve') },
                { value: false, label: t('tickets.act.deny') },
              ]}
            />
          </Form.Item>
          {area('note', t('tickets.act.note'), [])}
        </>
      );
    case 'reply':
      return (
        <>
          {area('reply', t('tickets.act.reply'), [requiredText], 5000)}
          <ReplyQualityCheck ticketId={ticket.id} form={form} field="reply" />
          {resolution}
        </>
      );
    case 'followUp':
      return (
        <>
          <Form.Item name="rating" label={t('tickets.rating')} rules={[required]}>
            <Radio.Group data-testid="act-rating">
              {TICKET_RATINGS.map((r) => (
                <Radio.Button key={r} value={r}>
                  <span data-testid={`act-rating-${r}`}>{t(`tickets.ratings.${r}`)}</span>
                </Radio.Button>
              ))}
            </Radio.Group>
          </Form.Item>
          {area('note', t('tickets.act.note'), [])}
        </>
      );
    case 'urge':
    case 'supervise':
      return area('note', t('tickets.act.note'));
    case 'merge':
      return <MergeField ticketId={ticket.id} />;
    case 'callUnits':
      return (
        <>
          <Form.Item name="units" label={t('tickets.act.units')} rules={[required]}>
            <Select
              mode="multiple"
              maxCount={8}
              showSearch={{ optionFilterProp: 'label' }}
              options={units.options}
              placeholder={t('tickets.act.unitPlaceholder')}
              data-testid="act-unit-select"
            />
          </Form.Item>
          {area('note', t('tickets.act.note'))}
          <Form.Item name="reportWithinWorkingHours" label={t('tickets.act.reportWithinWorkingHours')} rules={[required]}>
            <InputNumber min={0.5} max={40} step={0.5} data-testid="act-reportWithin" />
          </Form.Item>
        </>
      );
    case 'reportToCall':
      return (
        <Form.Item name="role" label={t('tickets.act.role')} rules={[required]}>
          <Radio.Group
            data-testid="act-role"
            options={[
              { value: 'lead', label: t('tickets.act.roleLead') },
              { value: 'assisting', label: t('tickets.act.roleAssisting') },
            ]}
          />
        </Form.Item>
      );
  }
}

interface Props {
  act: TicketAct | null;
  ticket: TicketView;
  units: Units;
  onClose: () => void;
  /** the act succeeded ('ok') or the ticket changed under us ('stale', a 409) */
  onDone: (result: 'ok' | 'stale') => void;
}

/** A small form for one act; submits it and reports back. */
export function ActModal({ act, ticket, units, onClose, onDone }: Props) {
  const { t } = useTranslation();
  const [form] = Form.useForm<Values>();
  const [saving, setSaving] = useState(false);

  const submit = async (values: Values) => {
    if (!act) return;
    setSaving(true);
    try {
      await postAct(ticket.id, act, bodyOf(act, values));
      onDone('ok');
    } catch (e) {
      // The API layer showed the error; a 409 means someone acted first: refresh the ticket.
      if (e instanceof ApiError && e.status === 409) onDone('stale');
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal
      open={act !== null}
      title={act ? `${t(`tickets.acts.${act}`)} · ${ticket.number}` : ''}
      onCancel={onClose}
      destroyOnHidden
      data-testid="act-modal"
      footer={[
        <Button key="cancel" onClick={onClose}>
          {t('common.cancel')}
        </Button>,
        <Button key="ok" type="primary" loading={saving} onClick={() => form.submit()} data-testid="act-submit">
          {act ? t(`tickets.acts.${act}`) : ''}
        </Button>,
      ]}
    >
      {act && (
        <Form<Values> form={form} layout="vertical" preserve={false} initialValues={INITIAL[act] ?? {}} onFinish={submit} data-testid={`act-form-${act}`}>
          <Fields act={act} ticket={ticket} units={units} form={form} />
        </Form>
      )}
    </Modal>
  );
}
