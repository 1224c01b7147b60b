import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ALWAYS_OPEN,
  addBusinessTime,
  type BusinessCalendar,
  businessTimeBetween,
  calendarProblems,
  isOpenAt,
  nextOpening,
  type OpeningPeriod,
} from './business-calendar.ts';

const H = 3_600_000;
const at = (iso: string) => Date.parse(iso);
const weekdays = (periods: OpeningPeriod[]): OpeningPeriod[][] => [
  periods,
  periods,
  periods,
  periods,
  periods,
  [],
  [],
];
const berlin: BusinessCalendar = {
  timeZone: 'Europe/Berlin',
  week: weekdays([
    { start: '09:00', end: '12:30' },
    { start: '13:30', end: '17:00' },
  ]),
  holidays: [
    { from: '2026-12-24', to: '2026-12-26', name: 'Christmas' },
    { from: '2027-01-01', to: '2027-01-01', name: 'New Year' },
  ],
};

describe('business time on a split-shift calendar with holidays', () => {
  it('counts only the opening periods of working days', () => {
    // Monday 2026-11-30, 08:00 to 18:00 Berlin (UTC+1): 3.5 h + 3.5 h open.
    expect(businessTimeBetween(berlin, at('2026-11-30T07:00:00Z'), at('2026-11-30T17:00:00Z'))).toBe(7 * H);
    // The lunch break does not count.
    expect(businessTimeBetween(berlin, at('2026-11-30T11:30:00Z'), at('2026-11-30T12:30:00Z'))).toBe(0);
  });

  it('carries a deadline over the weekend and the Christmas holidays', () => {
    // Friday 2026-11-27 16:00 Berlin + 2 h: one hour on Friday, one on Monday from 09:00.
    expect(addBusinessTime(berlin, at('2026-11-27T15:00:00Z'), 2 * H)).toBe(at('2026-11-30T09:00:00Z'));
    // Wednesday 2026-12-23 16:00 + 2 h: Thursday to Saturday are holidays or weekend, so Monday 28th 10:00.
    expect(addBusinessTime(berlin, at('2026-12-23T15:00:00Z'), 2 * H)).toBe(at('2026-12-28T09:00:00Z'));
  });

  it('meets a target at the close of business rather than at the next opening', () => {
    // Monday 15:00 + 2 h is 17:00 that day, the close, not Tuesday 09:00.
    expect(addBusinessTime(berlin, at('2026-11-30T14:00:00Z'), 2 * H)).toBe(at('2026-11-30T16:00:00Z'));
  });

  it('tells open from closed and finds the next opening', () => {
    expect(isOpenAt(berlin, at('2026-11-30T08:00:00Z'))).toBe(true);
    expect(isOpenAt(berlin, at('2026-11-30T12:00:00Z'))).toBe(false);
    expect(nextOpening(berlin, at('2026-11-28T10:00:00Z'))).toBe(at('2026-11-30T08:00:00Z'));
  });
});

describe('clock changes', () => {
  const allDay = (zone: string): BusinessCalendar => ({
    timeZone: zone,
    week: Array.from({ length: 7 }, () => [{ start: '00:00', end: '06:00' }]),
    holidays: [],
  });

  it('makes the spring-forward night an hour shorter and the autumn one an hour longer', () => {
    // Berlin: 2026-03-29 02:00 → 03:00; 2026-10-25 03:00 → 02:00.
    const spring = at('2026-03-28T23:00:00Z');
    expect(businessTimeBetween(allDay('Europe/Berlin'), spring, spring + 12 * H)).toBe(5 * H);
    const autumn = at('2026-10-24T22:00:00Z');
    expect(businessTimeBetween(allDay('Europe/Berlin'), autumn, autumn + 12 * H)).toBe(7 * H);
    // New York falls back on 2026-11-01.
    const ny = at('2026-11-01T04:00:00Z');
    expect(businessTimeBetween(allDay('America/New_York'), ny, ny + 12 * H)).toBe(7 * H);
  });

  it('keeps a 09:00 opening at 09:00 local on both sides of the change', () => {
    const nine: BusinessCalendar = {
      ...allDay('Europe/Berlin'),
      week: weekdays([{ start: '09:00', end: '17:00' }]),
    };
    expect(nextOpening(nine, at('2026-03-27T17:00:00Z'))).toBe(at('2026-03-30T07:00:00Z')); // CEST, UTC+2
    expect(nextOpening(nine, at('2026-03-26T17:00:00Z'))).toBe(at('2026-03-27T08:00:00Z')); // CET, UTC+1
  });
});

describe('calendar problems', () => {
  it('accepts a good calendar and the always-open one', () => {
    expect(calendarProblems(berlin)).toEqual([]);
    expect(calendarProblems(ALWAYS_OPEN)).toEqual([]);
  });

  it('names each problem', () => {
    const bad: BusinessCalendar = {
      timeZone: 'Mars/Olympus',
      week: [
        [{ start: '09:00', end: '08:00' }],
        [
          { start: '09:00', end: '13:00' },
          { start: '12:00', end: '17:00' },
        ],
        [{ start: '9am', end: '17:00' }],
        [],
        [],
        [],
        [],
      ],
      holidays: [
        { from: '2026-02-30', to: '2026-03-01', name: 'Nope' },
        { from: '2026-05-02', to: '2026-05-01', name: 'Backwards' },
      ],
    };
    const problems = calendarProblems(bad);
    expect(problems).toHaveLength(6);
    expect(problems.join(' ')).toMatch(/Mars\/Olympus.*Monday.*Tuesday.*overlap.*Wednesday.*Nope.*Backwards/);
    expect(calendarProblems({ ...ALWAYS_OPEN, week: Array.from({ length: 7 }, () => []) })).toEqual([
      'The calendar is never open: give some day an opening period.',
    ]);
  });
});

// Zones with and without daylight saving, north and south, and odd offsets (+05:30, +12:45).
const ZONES = [
  'UTC',
  'Europe/Berlin',
  'America/New_York',
  'Australia/Sydney',
  'Asia/Kolkata',
  'Pacific/Chatham',
  'America/Sao_Paulo',
  'Asia/Shanghai',
];
const hhmm = (m: number) =>
  m === 1440 ? '24:00' : `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
/** 0–3 non-overlapping periods in a day, on a 15-minute grid (split shifts, nights, whole days). */
const dayArb = fc.uniqueArray(fc.integer({ min: 0, max: 96 }), { minLength: 0, maxLength: 6 }).map((cuts) => {
  const sorted = [...cuts].sort((a, b) => a - b);
  const periods: OpeningPeriod[] = [];
  for (let i = 0; i + 1 < sorted.length; i += 2)
    periods.push({ start: hhmm(sorted[i]! * 15), end: hhmm(sorted[i + 1]! * 15) });
  return periods;
});
const dateArb = fc
  .integer({ min: 0, max: 3 * 365 })
  .map((n) => new Date(Date.UTC(2025, 0, 1) + n * 86_400_000).toISOString().slice(0, 10));
const calendarArb: fc.Arbitrary<BusinessCalendar> = fc
  .record({
    timeZone: fc.constantFrom(...ZONES),
    week: fc.array(dayArb, { minLength: 7, maxLength: 7 }),
    holidays: fc.array(
      fc.tuple(dateArb, fc.integer({ min: 0, max: 10 })).map(([from, len]) => ({
        from,
        to: new Date(Date.parse(from) + len * 86_400_000).toISOString().slice(0, 10),
        name: 'Closed',
      })),
      { maxLength: 6 },
    ),
  })
  .filter((c) => c.week.some((d) => d.length > 0));
// Instants over 2025–2027, so every zone's clock changes are crossed.
const instantArb = fc.integer({ min: Date.UTC(2025, 0, 1), max: Date.UTC(2027, 11, 31) });
const durationArb = fc.integer({ min: 1, max: 200 * H });

describe('business-time properties', () => {
  const runs = { numRuns: 150 };

  it('measuring what was added gives it back', () => {
    fc.assert(
      fc.property(calendarArb, instantArb, durationArb, (cal, start, d) => {
        const due = addBusinessTime(cal, start, d);
        expect(businessTimeBetween(cal, start, due)).toBe(d);
      }),
      runs,
    );
  });

  it('never puts a deadline in a closed period: the moment before it is open time', () => {
    fc.assert(
      fc.property(calendarArb, instantArb, durationArb, (cal, start, d) => {
        const due = addBusinessTime(cal, start, d);
        expect(due).toBeGreaterThan(start);
        expect(businessTimeBetween(cal, due - 1, due)).toBe(1);
      }),
      runs,
    );
  });

  it('is monotone in the start and in the duration', () => {
    fc.assert(
      fc.property(
        calendarArb,
        instantArb,
        fc.nat(30 * 24 * H),
        durationArb,
        fc.nat(H),
        (cal, s, gap, d, more) => {
          expect(addBusinessTime(cal, s + gap, d)).toBeGreaterThanOrEqual(addBusinessTime(cal, s, d));
          expect(addBusinessTime(cal, s, d + more)).toBeGreaterThanOrEqual(addBusinessTime(cal, s, d));
        },
      ),
      runs,
    );
  });

  it('adds and measures in pieces as in one go (a paused timer resumes where it stopped)', () => {
    fc.assert(
      fc.property(
        calendarArb,
        instantArb,
        durationArb,
        durationArb,
        fc.nat(10 * 24 * H),
        (cal, s, a, b, pause) => {
          const first = addBusinessTime(cal, s, a);
          expect(addBusinessTime(cal, first, b)).toBe(addBusinessTime(cal, s, a + b));
          // Measured across a pause, the open time is the sum of both sides.
          const mid = first + pause;
          const end = addBusinessTime(cal, mid, b);
          expect(businessTimeBetween(cal, s, first) + businessTimeBetween(cal, mid, end)).toBe(a + b);
          expect(businessTimeBetween(cal, s, mid) + businessTimeBetween(cal, mid, end)).toBe(
            businessTimeBetween(cal, s, end),
          );
        },
      ),
      runs,
    );
  });

  it('never counts time on a holiday or more time than passed', () => {
    fc.assert(
      fc.property(calendarArb, instantArb, fc.nat(20 * 24 * H), (cal, s, span) => {
        const t = businessTimeBetween(cal, s, s + span);
        expect(t).toBeGreaterThanOrEqual(0);
        expect(t).toBeLessThanOrEqual(span);
        const always = { ...ALWAYS_OPEN, timeZone: cal.timeZone };
        expect(businessTimeBetween(always, s, s + span)).toBe(span);
      }),
      runs,
    );
  });

  it('is closed all through a holiday', () => {
    fc.assert(
      fc.property(calendarArb, dateArb, fc.integer({ min: 0, max: 23 }), (cal, day, hour) => {
        const closed = { ...cal, holidays: [...cal.holidays, { from: day, to: day, name: 'Test' }] };
        // Any instant whose local date in the zone is that day.
        const probe = Date.parse(`${day}T12:00:00Z`) + (hour - 12) * H;
        const local = new Intl.DateTimeFormat('en-CA', { timeZone: cal.timeZone }).format(probe);
        if (local === day) expect(isOpenAt(closed, probe)).toBe(false);
      }),
      runs,
    );
  });
});
