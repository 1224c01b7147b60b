import type { Translate } from '../../../lib/i18n/i18n-provider.tsx';

// One formatter per locale and style: building an Intl.NumberFormat is slow, and a table
// formats hundreds of cells per render.
const formatters = new Map<string, Intl.NumberFormat>();
function numberFormat(locale: string, style: 'pct' | 'int' | 'dec' | 'one'): Intl.NumberFormat {
  const key = `${locale}|${style}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.NumberFormat(
      locale,
      style === 'pct'
        ? { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 }
        : style === 'int'
          ? { maximumFractionDigits: 0 }
          : style === 'dec'
            ? { minimumFractionDigits: 2, maximumFractionDigits: 2 }
            : // Hours and days as before (`toFixed(1)`): one decimal, no grouping.
              { minimumFractionDigits: 1, maximumFractionDigits: 1, useGrouping: false },
    );
    formatters.set(key, f);
  }
  return f;
}

const missing = (x: number | null | undefined): x is null | undefined =>
  x === null || x === undefined || !Number.isFinite(x);

/** A ratio as a percentage with one decimal ("12.3%", "12,3 %"); a dash when there is nothing to divide by. */
export const formatPercent = (x: number | null | undefined, locale: string): string =>
  missing(x) ? '—' : numberFormat(locale, 'pct').format(x);

export const formatCount = (n: number, locale: string): string => numberFormat(locale, 'int').format(n);

export const formatDecimal = (n: number | null | undefined, locale: string): string =>
  missing(n) ? '—' : numberFormat(locale, 'dec').format(n);

/** One decimal, no grouping ("3.2", "3,2"): expected counts, lifts. */
export const formatOneDecimal = (n: number, locale: string): string => numberFormat(locale, 'one').format(n);

/** Hours as a reader thinks of them: "5.5 h" under two days, "3.2 days" above. */
export function formatHours(h: number | null, t: Translate, locale: string): string {
  if (h === null) return '—';
  if (h < 48) return t('analytics.unit.hours', { n: formatOneDecimal(h, locale) });
  return t('analytics.unit.days', { n: formatOneDecimal(h / 24, locale) });
}

/** How sure an alert is: 1 − q as a percentage, never rounded up to a certain "100.0%". */
export const formatConfidence = (x: number, locale: string): string =>
  x > 0.999 ? `> ${formatPercent(0.999, locale)}` : formatPercent(x, locale);

/** What an alert is about, as a headline: "more returns for “defective”" (the reason code stays as is: it is data). */
export function alertHeadline(kind: string, t: Translate): string {
  if (kind === 'return_rate') return t('analytics.kind.headline.returnRate');
  if (kind === 'complaints') return t('analytics.kind.headline.complaints');
  if (kind.startsWith('reason:'))
    return t('analytics.kind.headline.reason', { reason: humanize(kind.slice(7)) });
  return humanize(kind);
}

/** `reason:defective` → "Reason: defective"; `return_rate` → "Return rate". */
export function formatKind(kind: string, t: Translate): string {
  if (kind === 'return_rate') return t('analytics.kind.returnRate');
  if (kind === 'complaints') return t('analytics.kind.complaints');
  if (kind.startsWith('reason:')) return t('analytics.kind.reason', { reason: humanize(kind.slice(7)) });
  return humanize(kind);
}

/** `wrong_size` → "wrong size". Codes stay recognisable; nothing is translated. */
export const humanize = (code: string): string => code.replaceAll('_', ' ');

/** Today as YYYY-MM-DD (UTC, as the API counts days). */
export const today = (): string => new Date().toISOString().slice(0, 10);

export function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
}

/** The days of a trend period: a week's Monday (YYYY-MM-DD) or a month (YYYY-MM). */
export function periodDays(key: string): { from: string; to: string } {
  if (/^\d{4}-\d{2}$/.test(key)) {
    const [y, m] = key.split('-').map(Number) as [number, number];
    return { from: `${key}-01`, to: new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10) };
  }
  return { from: key, to: addDays(key, 6) };
}
