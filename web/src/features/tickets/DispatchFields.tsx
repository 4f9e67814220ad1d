import { Cascader, Form, Input, Select, Tag, Typography } from 'antd';
import type { FormInstance } from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { DispatchSuggestion, Items, TicketCategory } from '../../shared/types';
import { useFetch } from '../../shared/useFetch';
import { categoryTree } from './categories';
import { TICKETS, ticketPath } from './ticketsApi';
import type { Units } from './useUnits';

interface Props {
  ticketId: string;
  form: FormInstance;
  units: Units;
}

/** 派单: suggestions (click to choose), lead unit, assisting units, optional category, note. */
export function DispatchFields({ ticketId, form, units }: Props) {
  const { t, i18n } = useTranslation();
  const suggestions = useFetch<Items<DispatchSuggestion>>(`${ticketPath(ticketId)}/dispatch-suggestions`);
  const categories = useFetch<Items<TicketCategory>>(`${TICKETS}/categories`);
  const tree = useMemo(() => categoryTree(categories.data?.items ?? [], i18n.language === 'en'), [categories.data, i18n.language]);
  const lead = Form.useWatch<string | undefined>('leadUnit', form);
  const required = { required: true, message: t('common.required') };

  return (
    <>
      <Form.Item label={t('tickets.act.suggestions')}>
        {suggestions.data?.items.length ? (
          <div data-testid="dispatch-suggestions">
            {suggestions.data.items.map((s) => (
              <div
                key={s.unit}
                role="button"
                tabIndex={0}
                className="ms-ticket-suggestion"
                data-testid="dispatch-suggestion"
                data-unit={s.unit}
                onClick={() => form.setFieldsValue({ leadUnit: s.unit })}
                onKeyDown={(e) => e.key === 'Enter' && form.setFieldsValue({ leadUnit: s.unit })}
              >
                <Tag color={lead === s.unit ? 'blue' : 'default'}>{units.name(s.unit)}</Tag>
                <Typography.Text type="secondary">{s.reason}</Typography.Text>
              </div>
            ))}
          </div>
        ) : (
          <Typography.Text type="secondary">{suggestions.loading ? '…' : t('tickets.act.noSuggestions')}</Typography.Text>
        )}
      </Form.Item>
      <Form.Item name="leadUnit" label={t('tickets.act.leadUnit')} rules={[required]}>
        <Select
          showSearch={{ optionFilterProp: 'label' }}
          options={units.options}
          loading={units.loading}
          placeholder={t('tickets.act.unitPlaceholder')}
          data-testid="act-unit-select"
        />
      </Form.Item>
      <Form.Item name="assistingUnits" label={t('tickets.act.assistingUnits')}>
        <Select
          mode="multiple"
          maxCount={5}
          showSearch={{ optionFilterProp: 'label' }}
          options={units.options.map((g) => ({ ...g, options: g.options.map((o) => ({ ...o, disabled: o.value === lead })) }))}
          placeholder={t('tickets.act.unitPlaceholder')}
          data-testid="act-assisting-select"
        />
      </Form.Item>
      <Form.Item name="category" label={t('tickets.act.categoryOverride')}>
        <Cascader options={tree} changeOnSelect showSearch data-testid="act-category" />
      </Form.Item>
      <Form.Item name="note" label={t('tickets.act.note')}>
        <Input.TextArea rows={2} maxLength={500} data-testid="act-note" />
      </Form.Item>
    </>
  );
}
