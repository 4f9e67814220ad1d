import { Tag, Timeline, Typography } from 'antd';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { currentLanguage, type Language } from '../../i18n';
import { formatDateTime } from '../../shared/format';
import { ROLES, type Role, type TicketEvent, type TicketRating, type TicketResolution } from '../../shared/types';
import type { Units } from './useUnits';

const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const strs = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

const COLOR: Record<string, string> = {
  received: 'blue',
  dispatched: 'blue',
  accepted: 'green',
  replied: 'green',
  answered_directly: 'green',
  followed_up: 'green',
  returned: 'red',
  reopened: 'red',
  urged: 'orange',
  supervised: 'orange',
  extension_requested: 'gold',
};

interface Humanised {
  summary: string;
  /** free text written by people (notes, reasons, replies): shown as plain text */
  text?: string;
  late?: boolean;
}

/** One line per event kind, in the UI language; unknown kinds still show. */
function humanise(e: TicketEvent, t: TFunction, lang: Language, units: Units): Humanised {
  const d = e.data;
  const unit = units.name(e.unit ?? str(d.unit));
  const time = (v: unknown) => formatDateTime(str(v), lang);
  switch (e.kind) {
    case 'received':
      return { summary: t('tickets.events.received') };
    case 'dispatched': {
      const lead = units.name(str(d.leadUnit));
      const assisting = strs(d.assistingUnits).map((u) => units.name(u));
      const lines = [
        t(d.auto ? 'tickets.events.dispatchedAuto' : 'tickets.events.dispatched', { lead }),
        ...(assisting.length ? [t('tickets.events.dispatchedAssisting', { units: assisting.join(lang === 'en' ? ', ' : '、') })] : []),
        t('tickets.events.dispatchedDue', { accept: time(d.acceptDueAt), due: time(d.dueAt) }),
      ];
      return { summary: lines.join(lang === 'en' ? '; ' : '；'), text: str(d.note) };
    }
    case 'answered_directly':
      return { summary: t('tickets.events.answered_directly', { resolution: t(`tickets.resolutions.${str(d.resolution) as TicketResolution}`) }), text: str(d.answer) };
    case 'accepted':
      return { summary: t('tickets.events.accepted', { unit }) };
    case 'returned':
      return { summary: t('tickets.events.returned', { unit }), text: str(d.reason) };
    case 'extension_requested':
      return { summary: t('tickets.events.extension_requested', { unit, days: Number(d.workingDays) || 0 }), text: str(d.reason) };
    case 'extension_decided':
      return { summary: t(d.approved ? 'tickets.events.extension_approved' : 'tickets.events.extension_denied', { due: time(d.dueAt) }), text: str(d.note) };
    case 'replied': {
      const summary = t('tickets.events.replied', { unit, resolution: t(`tickets.resolutions.${str(d.resolution) as TicketResolution}`) });
      return { summary: d.viaMergeOf ? `${summary} ${t('tickets.events.repliedViaMerge')}` : summary, text: str(d.reply) };
    }
    case 'followed_up':
      return { summary: t('tickets.events.followed_up', { rating: t(`tickets.ratings.${str(d.rating) as TicketRating}`) }), text: str(d.note) };
    case 'reopened':
      return { summary: t('tickets.events.reopened', { due: time(d.dueAt) }), text: str(d.reason) };
    case 'urged': {
      const level = t(`tickets.urgeLevels.${(str(d.level) || 'unit') as 'unit' | 'supervisor' | 'district'}`);
      return d.automatic ? { summary: t('tickets.events.urgedAuto', { level }) } : { summary: t('tickets.events.urged', { level }), text: str(d.note) };
    }
    case 'supervised':
      return { summary: t('tickets.events.supervised'), text: str(d.note) };
    case 'merged':
      return { summary: t('tickets.events.merged') };
    case 'merge_absorbed':
      return { summary: t('tickets.events.merge_absorbed') };
    case 'units_called':
      return {
        summary: t('tickets.events.units_called', { units: strs(d.units).map((u) => units.name(u)).join(lang === 'en' ? ', ' : '、'), due: time(d.reportDueAt) }),
        text: str(d.note),
      };
    case 'call_reported':
      return {
        summary: t('tickets.events.call_reported', { unit, role: t(d.role === 'lead' ? 'tickets.act.roleLead' : 'tickets.act.roleAssisting') }),
        late: d.late === true,
      };
    default:
      return { summary: t('tickets.events.unknown', { kind: e.kind }) };
  }
}

function actorLabel(e: TicketEvent, t: TFunction, lang: Language): string {
  const role = e.actorRole && (ROLES as readonly string[]).includes(e.actorRole) ? t(`roles.${e.actorRole as Role}`) : null;
  if (e.actorName) return role ? (lang === 'en' ? `${e.actorName} (${role})` : `${e.actorName}（${role}）`) : e.actorName;
  return t('tickets.detail.system');
}

/** Every event of the ticket, oldest first: what happened, who did it for which unit, when. */
export function TicketTimeline({ events, units }: { events: TicketEvent[]; units: Units }) {
  const { t } = useTranslation();
  const lang = currentLanguage();
  return (
    <Timeline
      data-testid="ticket-timeline"
      items={events.map((e) => {
        const h = humanise(e, t, lang, units);
        return {
          key: e.seq,
          color: COLOR[e.kind] ?? 'gray',
          content: (
            <div data-testid="timeline-event" data-kind={e.kind}>
              <Typography.Text strong>{h.summary}</Typography.Text>
              {h.late && (
                <Tag color="red" style={{ marginInlineStart: 6 }}>
                  {t('tickets.events.callLate')}
                </Tag>
              )}
              <div className="ms-ticket-event__meta">
                {formatDateTime(e.at, lang)} · {actorLabel(e, t, lang)}
                {e.unit ? ` · ${units.name(e.unit)}` : ''}
              </div>
              {h.text && <Typography.Paragraph className="ms-ticket-text ms-ticket-event__text">{h.text}</Typography.Paragraph>}
            </div>
          ),
        };
      })}
    />
  );
}
