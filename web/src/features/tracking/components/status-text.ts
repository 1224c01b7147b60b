import { RETURN_STATUSES } from '@contract/returns.ts';
import type { MessageKey } from '../../../lib/i18n/en.ts';

/** The message key for one status: its short `label`, its `headline` sentence or its `detail`. */
export function statusKey(status: string, part: 'label' | 'headline' | 'detail'): MessageKey {
  const known = (RETURN_STATUSES as readonly string[]).includes(status) ? status : 'unknown';
  return `status.${known}.${part}` as MessageKey;
}
