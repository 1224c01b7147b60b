import { Temporal } from 'temporal-polyfill';

/**
 * Business time: when a support team is open, and how much of that open time lies between two
 * instants. Pure (no I/O); every SLA timer in the support module is measured with it.
 *
 * A calendar is a time zone, the opening periods of each weekday (several a day for split shifts)
 * and holidays (inclusive local date ranges). Opening periods are wall-clock times in the calendar's
 * zone, converted to instants day by day, so a 09:00–17:00 day is eight real hours in winter and in
 * summer, and the days a clock change falls on are as long as they really are (a period across the
 * spring-forward gap is an hour shorter, across the autumn repeat an hour longer). A wall time that
 * does not exist (inside the gap) means the first instant after it, as Temporal's `compatible` does.
 */

/** `HH:MM` on a 24-hour clock; an opening period may end at `24:00` (midnight after). */
export type OpeningPeriod = { start: string; end: string };
/** Inclusive local dates (`YYYY-MM-DD`); a one-day holiday has `from` = `to`. */
export type Holiday = { from: string; to: string; name: string };
export type BusinessCalendar = {
  /** An IANA zone, e.g. `Europe/Berlin`. */
  timeZone: string;
  /** Seven lists, Monday first (ISO weekday 1 … 7); an empty list is a closed day. */
  week: OpeningPeriod[][];
  holidays: Holiday[];
};

/** The calendar of a team that never closes: SLA hours are wall-clock hours. */
export const ALWAYS_OPEN: BusinessCalendar = {
  timeZone: 'UTC',
  week: Array.from({ length: 7 }, () => [{ start: '00:00', end: '24:00' }]),
  holidays: [],
};

/** How far ahead an open period is looked for before a calendar counts as never open. */
const HORIZON_DAYS = 3_660;
/** The longest holiday range a calendar may hold. */
export const MAX_HOLIDAY_DAYS = 366;
const TIME = /^([01]\d|2[0-3]):([0-5]\d)$|^24:00$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** What is wrong with a calendar, in sentences a person can act on; empty when it is usable. */
export function calendarProblems(cal: BusinessCalendar): string[] {
  const problems: string[] = [];
  if (!isTimeZone(cal.timeZone))
    problems.push(`"${cal.timeZone}" is not a time zone (use one like Europe/Berlin).`);
  if (cal.week.length !== 7) problems.push('The week needs seven days, Monday first.');
  const names = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
  cal.week.forEach((periods, i) => {
    const day = names[i] ?? `Day ${i + 1}`;
    const spans: [number, number][] = [];
    for (const p of periods) {
      if (!TIME.test(p.start) || !TIME.test(p.end) || p.start === '24:00') {
        problems.push(`${day}: ${p.start}–${p.end} is not a period of HH:MM times.`);
        continue;
      }
      const [s, e] = [minutesOf(p.start), minutesOf(p.end)];
      if (e <= s) problems.push(`${day}: ${p.start}–${p.end} ends before it starts.`);
      else spans.push([s, e]);
    }
    spans.sort((a, b) => a[0] - b[0]);
    for (let k = 1; k < spans.length; k++)
      if (spans[k]![0] < spans[k - 1]![1]) problems.push(`${day}: two opening periods overlap.`);
  });
  if (cal.week.every((p) => p.length === 0))
    problems.push('The calendar is never open: give some day an opening period.');
  for (const h of cal.holidays) {
    const valid = DATE.test(h.from) && DATE.test(h.to) && isDate(h.from) && isDate(h.to);
    if (!valid) problems.push(`Holiday "${h.name}": ${h.from}–${h.to} is not a range of YYYY-MM-DD dates.`);
    else if (h.to < h.from) problems.push(`Holiday "${h.name}" ends before it starts.`);
    else if (daysBetween(h.from, h.to) >= MAX_HOLIDAY_DAYS)
      problems.push(`Holiday "${h.name}" is longer than ${MAX_HOLIDAY_DAYS} days.`);
  }
  return problems;
}

/** Business milliseconds in [from, until): the open time a timer running over that span uses. */
export function businessTimeBetween(cal: BusinessCalendar, from: number, until: number): number {
  if (until <= from) return 0;
  let total = 0;
  for (const [s, e] of openIntervals(cal, from)) {
    if (s >= until) break;
    total += Math.min(e, until) - s;
  }
  return total;
}

/**
 * The instant at which `duration` business milliseconds have passed since `from`: a deadline. It
 * always lies in open time or at the close of an open period (a target met "by close of business"),
 * never inside a closed period or a holiday.
 */
export function addBusinessTime(cal: BusinessCalendar, from: number, duration: number): number {
  if (duration <= 0) return from;
  let left = duration;
  for (const [s, e] of openIntervals(cal, from)) {
    if (left <= e - s) return s + left;
    left -= e - s;
  }
  throw new Error('The calendar has no open time ahead');
}

/** Whether the calendar is open at the instant. */
export function isOpenAt(cal: BusinessCalendar, at: number): boolean {
  for (const [s] of openIntervals(cal, at)) return s === at;
  return false;
}

/** The first instant at or after `from` that the calendar is open. */
export function nextOpening(cal: BusinessCalendar, from: number): number {
  for (const [s] of openIntervals(cal, from)) return s;
  throw new Error('The calendar has no open time ahead');
}

type Compiled = { zone: string; week: [number, number][][]; closed: Set<string> };
const compiled = new WeakMap<BusinessCalendar, Compiled>();

function compile(cal: BusinessCalendar): Compiled {
  let c = compiled.get(cal);
  if (c) return c;
  const closed = new Set<string>();
  for (const h of cal.holidays) {
    let d = Temporal.PlainDate.from(h.from);
    const to = Temporal.PlainDate.from(h.to);
    for (let n = 0; Temporal.PlainDate.compare(d, to) <= 0 && n < MAX_HOLIDAY_DAYS; n++) {
      closed.add(d.toString());
      d = d.add({ days: 1 });
    }
  }
  const week = cal.week.map((periods) =>
    periods.map((p): [number, number] => [minutesOf(p.start), minutesOf(p.end)]).sort((a, b) => a[0] - b[0]),
  );
  c = { zone: cal.timeZone, week, closed };
  compiled.set(cal, c);
  return c;
}

/**
 * The calendar's open intervals as [start, end) instants in epoch milliseconds, in order, without
 * overlaps, the first clipped to begin at `from`. Ends after HORIZON_DAYS of local days.
 */
export function* openIntervals(cal: BusinessCalendar, from: number): Generator<[number, number]> {
  const c = compile(cal);
  let day = Temporal.Instant.fromEpochMilliseconds(from).toZonedDateTimeISO(c.zone).toPlainDate();
  let last = from;
  for (let n = 0; n < HORIZON_DAYS; n++, day = day.add({ days: 1 })) {
    if (c.closed.has(day.toString())) continue;
    for (const [startMinute, endMinute] of c.week[day.dayOfWeek - 1] ?? []) {
      // A gap-shifted end can pass the next period's start; `last` keeps the intervals apart.
      const s = Math.max(instantOf(day, startMinute, c.zone), last);
      const e = instantOf(day, endMinute, c.zone);
      if (e <= s) continue;
      last = e;
      yield [s, e];
    }
  }
}

function instantOf(day: Temporal.PlainDate, minute: number, zone: string): number {
  const date = minute === 1440 ? day.add({ days: 1 }) : day;
  const m = minute % 1440;
  return date
    .toPlainDateTime({ hour: Math.floor(m / 60), minute: m % 60 })
    .toZonedDateTime(zone, { disambiguation: 'compatible' }).epochMilliseconds;
}

function minutesOf(hhmm: string): number {
  return Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
}

function isTimeZone(zone: string): boolean {
  try {
    Temporal.Now.instant().toZonedDateTimeISO(zone);
    return true;
  } catch {
    return false;
  }
}

function isDate(s: string): boolean {
  try {
    return Temporal.PlainDate.from(s, { overflow: 'reject' }).toString() === s;
  } catch {
    return false;
  }
}

function daysBetween(from: string, to: string): number {
  return Temporal.PlainDate.from(from).until(Temporal.PlainDate.from(to)).days;
}
