/** Small pure helpers of the metrics: periods and percentiles. */

/** The period a day (YYYY-MM-DD) falls in: the day itself, its ISO week's Monday, or YYYY-MM. */
export function periodOf(day: string, by: 'day' | 'week' | 'month'): string {
  if (by === 'day') return day;
  if (by === 'month') return day.slice(0, 7);
  const t = Date.parse(`${day}T00:00:00Z`);
  const dow = (new Date(t).getUTCDay() + 6) % 7; // Monday = 0
  return new Date(t - dow * 86_400_000).toISOString().slice(0, 10);
}

/** Nearest-rank percentile of sorted values (`q` in 0..1); null when there are none. */
export function percentile(sorted: number[], q: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.max(1, Math.ceil(q * sorted.length));
  return sorted[rank - 1]!;
}

/**
 * A range of days cut into the whole months inside it (read from the monthly rollups) and the
 * days before and after them (read from the daily ones). `months` is null when no month fits.
 */
export function splitRange(
  from: string,
  to: string,
): { months: { from: string; to: string } | null; days: { from: string; to: string }[] } {
  const first = from.endsWith('-01') ? from.slice(0, 7) : nextMonth(from.slice(0, 7));
  const last = to === lastDayOf(to.slice(0, 7)) ? to.slice(0, 7) : prevMonth(to.slice(0, 7));
  if (first > last) return { months: null, days: [{ from, to }] };
  const days: { from: string; to: string }[] = [];
  if (from < `${first}-01`) days.push({ from, to: lastDayOf(prevMonth(first)) });
  if (to > lastDayOf(last)) days.push({ from: `${nextMonth(last)}-01`, to });
  return { months: { from: first, to: last }, days };
}

function nextMonth(m: string): string {
  const [y, mo] = m.split('-').map(Number) as [number, number];
  return mo === 12 ? `${y + 1}-01` : `${y}-${String(mo + 1).padStart(2, '0')}`;
}

function prevMonth(m: string): string {
  const [y, mo] = m.split('-').map(Number) as [number, number];
  return mo === 1 ? `${y - 1}-12` : `${y}-${String(mo - 1).padStart(2, '0')}`;
}

function lastDayOf(m: string): string {
  const [y, mo] = m.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(y, mo, 0)).toISOString().slice(0, 10);
}
