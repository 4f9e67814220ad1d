import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Category } from './types';

const COLOR: Record<Category, string> = { eligible_receiving: 'green', eligible_missing: 'gold', stop: 'red', not_eligible: 'default' };

export function CategoryTag({ category }: { category: Category }) {
  const { t } = useTranslation();
  return <Tag color={COLOR[category]}>{t(`benefits.category.${category}`)}</Tag>;
}
