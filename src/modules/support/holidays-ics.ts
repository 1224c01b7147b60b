import ICAL from 'ical.js';
import { Temporal } from 'temporal-polyfill';
import { type Holiday, MAX_HOLIDAY_DAYS } from './business-calendar.ts';

/** The most holidays one import adds: a public-holiday feed for a decade is a few hundred. */
export const MAX_IMPORTED_HOLIDAYS = 1_000;

export type IcsImport = { holidays: Holiday[]; skipped: string[] };

/**
 * Holidays from an iCalendar file (a public-holiday feed or a team's closure calendar): each event
 * becomes the local dates it covers, and a recurring one ("every 25 December") each occurrence
 * from `from` through `to`. All-day events end the day before their DTEND, as RFC 5545 says; a
 * timed event closes the dates it touches. Events that cannot be read are named in `skipped`.
 */
export function holidaysFromIcs(text: string, window: { from: string; to: string }): IcsImport {
  let root: ICAL.Component;
  try {
    root = new ICAL.Component(ICAL.parse(text));
  } catch (e) {
    throw new IcsError(`This is not an iCalendar file: ${e instanceof Error ? e.message : String(e)}`);
  }
  const events = root.name === 'vevent' ? [root] : root.getAllSubcomponents('vevent');
  const holidays: Holiday[] = [];
  const skipped: string[] = [];
  const add = (start: ICAL.Time, end: ICAL.Time | null, name: string) => {
    const from = dateOf(start);
    let to = from;
    if (end) {
      // DTEND of an all-day event is the first day after it; a timed one closes its end date
      // unless it ends at midnight.
      const endDate = dateOf(end);
      const exclusive = end.isDate || (end.hour === 0 && end.minute === 0 && end.second === 0);
      to = exclusive && endDate > from ? addDays(endDate, -1) : endDate > from ? endDate : from;
    }
    if (to < window.from || from > window.to) return;
    if (Temporal.PlainDate.from(from).until(Temporal.PlainDate.from(to)).days >= MAX_HOLIDAY_DAYS) {
      skipped.push(`${name}: longer than ${MAX_HOLIDAY_DAYS} days`);
      return;
    }
    holidays.push({ from, to, name });
  };
  for (const component of events) {
    const event = new ICAL.Event(component);
    const name = (event.summary || 'Holiday').trim().slice(0, 200);
    try {
      if (!event.startDate) {
        skipped.push(`${name}: no start date`);
        continue;
      }
      if (!event.isRecurring()) {
        add(event.startDate, event.endDate ?? null, name);
        continue;
      }
      const it = event.iterator();
      for (let next = it.next(); next; next = it.next()) {
        if (dateOf(next) > window.to || holidays.length > MAX_IMPORTED_HOLIDAYS) break;
        const o = event.getOccurrenceDetails(next);
        add(o.startDate, o.endDate, name);
      }
    } catch (e) {
      skipped.push(`${name}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  if (holidays.length > MAX_IMPORTED_HOLIDAYS)
    throw new IcsError(`The file holds more than ${MAX_IMPORTED_HOLIDAYS} holidays in the window.`);
  holidays.sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0));
  return { holidays, skipped };
}

/** An iCalendar file that cannot be read; the message says why. */
export class IcsError extends Error {}

function dateOf(t: ICAL.Time): string {
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${p(t.year, 4)}-${p(t.month)}-${p(t.day)}`;
}

function addDays(date: string, n: number): string {
  return Temporal.PlainDate.from(date).add({ days: n }).toString();
}
