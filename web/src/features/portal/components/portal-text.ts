import type { MessageKey } from '../../../lib/i18n/en.ts';
import type { Translate } from '../../../lib/i18n/i18n-provider.tsx';
import type { PortalReason } from '../api/portal-api.ts';

// The shop's reasons come with its English label and, where it wrote them, labels in other
// languages. The shop's words win; our translations of the codes we know fill the languages it
// left out; anything else is shown as the shop wrote it.
const REASONS: Record<string, MessageKey> = {
  changed_mind: 'reason.changed_mind',
  wrong_size: 'reason.wrong_size',
  arrived_late: 'reason.arrived_late',
  not_as_described: 'reason.not_as_described',
  damaged: 'reason.damaged',
  defective: 'reason.defective',
  wrong_item: 'reason.wrong_item',
};

/** A reason's label in the reader's language, and whether it is in that language (else the shop's English). */
export function reasonLabel(
  t: Translate,
  reason: PortalReason,
  locale: string,
): { text: string; translated: boolean } {
  const own = locale === 'zh-CN' || locale === 'es' ? reason.labels?.[locale] : undefined;
  if (own) return { text: own, translated: true };
  if (locale === 'en') return { text: reason.label, translated: true };
  const key = REASONS[reason.code];
  return key ? { text: t(key), translated: true } : { text: reason.label, translated: false };
}

export const RESOLUTIONS = [
  'refund',
  'store_credit',
  'exchange',
  'replacement',
  'repair',
  'keep_item',
] as const;
export type Resolution = (typeof RESOLUTIONS)[number];

export function isResolution(value: string): value is Resolution {
  return (RESOLUTIONS as readonly string[]).includes(value);
}

export const resolutionKey = (r: Resolution): MessageKey => `portal.resolution.${r}` as MessageKey;
export const resolutionBodyKey = (r: Resolution): MessageKey => `portal.resolution.${r}.body` as MessageKey;

/** Why a line cannot be returned, in the reader's language when the code is one we know. */
export function ineligibleText(
  t: Translate,
  date: (iso: string) => string,
  line: { code?: string; reason?: string; category?: string; windowEndsAt?: string },
): { text: string; translated: boolean } {
  switch (line.code) {
    case 'not_returnable':
      if (line.category) {
        return { text: t('portal.ineligible.not_returnable', { category: line.category }), translated: true };
      }
      break;
    case 'return_window_closed':
      if (line.windowEndsAt) {
        return {
          text: t('portal.ineligible.return_window_closed', { date: date(line.windowEndsAt) }),
          translated: true,
        };
      }
      break;
    case 'quantity_exceeds_remaining':
      return { text: t('portal.ineligible.quantity_exceeds_remaining'), translated: true };
    // A purchasing agent's stage refusals: the server writes them in the page's language (?lang=),
    // naming the stage and the deadline.
    case 'line_closed':
    case 'shipped_only_damage':
    case 'seller_window_closed':
    case 'qc_window_closed':
      if (line.reason) return { text: line.reason, translated: true };
      break;
  }
  if (line.reason) return { text: line.reason, translated: false };
  return { text: t('portal.ineligible.default'), translated: true };
}
