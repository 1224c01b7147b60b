/** Staff pages are English-only: one locale for every number on them. */
const LOCALE = 'en';

const pct = new Intl.NumberFormat(LOCALE, {
  style: 'percent',
  minimumFractionDigits: 1,
  maximumFractionDigits: 1,
});
const int = new Intl.NumberFormat(LOCALE, { maximumFractionDigits: 0 });
const dec = new Intl.NumberFormat(LOCALE, { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/** A ratio as a percentage with one decimal ("12.3%"); a dash when there is nothing to divide by. */
export const formatPercent = (x: number | null | undefined): string =>
  x === null || x === undefined || !Number.isFinite(x) ? '—' : pct.format(x);

export const formatCount = (n: number): string => int.format(n);

export const formatDecimal = (n: number | null | undefined): string =>
  n === null || n === undefined || !Number.isFinite(n) ? '—' : dec.format(n);

/** Hours as a reader thinks of them: "5.5 h" under two days, "3.2 days" above. */
export function formatHours(h: number | null): string {
  if (h === null) return '—';
  if (h < 48) return `${h.toFixed(1)} h`;
  return `${(h / 24).toFixed(1)} days`;
}

/** How sure an alert is: 1 − q as a percentage, never rounded up to a certain "100.0%". */
export const formatConfidence = (x: number): string => (x > 0.999 ? '> 99.9%' : formatPercent(x));

/** What an alert is about, as a headline: "more returns for “defective”". */
export function alertHeadline(kind: string): string {
  if (kind === 'return_rate') return 'more returns than usual';
  if (kind === 'complaints') return 'a new complaint in the notes';
  if (kind.startsWith('reason:')) return `more returns for “${humanize(kind.slice(7))}”`;
  return humanize(kind);
}

/** `reason:defective` → "Reason: defective"; `return_rate` → "Return rate". */
export function formatKind(kind: string): string {
  if (kind === 'return_rate') return 'Return rate';
  if (kind === 'complaints') return 'New complaint phrase';
  if (kind.startsWith('reason:')) return `Reason: ${humanize(kind.slice(7))}`;
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
