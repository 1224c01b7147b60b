/** A date and time for a reader of `locale` (e.g. "12 Nov 2026, 14:05"); empty for a bad value. */
export function formatDateTime(iso: string, locale: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(d);
}

/**
 * A date alone, for deadlines (e.g. "Friday, 20 November 2026"). A calendar date ("2026-11-20")
 * is shown as is: read as UTC midnight and shown in the reader's zone, it would move back a
 * day west of Greenwich.
 */
export function formatDate(iso: string, locale: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(iso);
  return new Intl.DateTimeFormat(locale, {
    dateStyle: 'full',
    ...(dateOnly ? { timeZone: 'UTC' } : {}),
  }).format(d);
}

/** A calendar date ("2026-03-09") in words without the weekday (e.g. "9 March 2026"). */
export function formatCalendarDate(date: string, locale: string): string {
  const d = new Date(`${date.slice(0, 10)}T00:00:00.000Z`);
  if (Number.isNaN(d.getTime())) return date;
  return new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'UTC' }).format(d);
}
