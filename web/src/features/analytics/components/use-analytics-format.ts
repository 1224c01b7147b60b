import { useMemo } from 'react';
import { useI18n } from '../../../lib/i18n/i18n-provider.tsx';
import {
  alertHeadline,
  formatConfidence,
  formatCount,
  formatDecimal,
  formatHours,
  formatKind,
  formatOneDecimal,
  formatPercent,
} from './format.ts';

/**
 * The analytics formatters bound to the reader's language, so a component writes `f.percent(x)`
 * rather than threading the locale through every cell.
 */
export function useAnalyticsFormat() {
  const { t, locale, money, dateTime } = useI18n();
  return useMemo(
    () => ({
      t,
      locale,
      money,
      dateTime,
      percent: (x: number | null | undefined) => formatPercent(x, locale),
      /** A chart axis value already in percent (12.3 → "12.3%"). */
      percentAxis: (v: number) => formatPercent(v / 100, locale),
      count: (n: number) => formatCount(n, locale),
      decimal: (n: number | null | undefined) => formatDecimal(n, locale),
      oneDecimal: (n: number) => formatOneDecimal(n, locale),
      hours: (h: number | null) => formatHours(h, t, locale),
      confidence: (x: number) => formatConfidence(x, locale),
      headline: (kind: string) => alertHeadline(kind, t),
      kind: (kind: string) => formatKind(kind, t),
    }),
    [t, locale, money, dateTime],
  );
}

export type AnalyticsFormat = ReturnType<typeof useAnalyticsFormat>;
